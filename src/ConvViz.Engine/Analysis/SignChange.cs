using System;
using System.Collections.Generic;
using static TorchSharp.torch;

namespace ConvViz.Engine.Analysis;

/// <summary>
/// The sign of a feature change and the Hamming distance between such signs, the measure of
/// the paper's section 4.3: epsilon = x - x_occluded, compared by sign(epsilon) only.
/// </summary>
public static class SignChange
{
    /// <summary>
    /// sign(original - changed[k]) per row, as -1, 0 or 1; changes no larger than
    /// tolerance x max |original| are 0.
    /// </summary>
    /// <param name="original">D features of the unoccluded image.</param>
    /// <param name="changed">K x D features of the occluded copies.</param>
    public static sbyte[][] Of(Tensor original, Tensor changed, double tolerance)
    {
        using var scope = NewDisposeScope();
        var reference = original.to_type(ScalarType.Float64).reshape(1, -1);
        var rows = changed.to_type(ScalarType.Float64).reshape(changed.shape[0], -1);
        var epsilon = reference - rows;
        double limit = tolerance * reference.abs().max().item<double>();
        var signs = epsilon.sign() * (epsilon.abs() > limit);
        var flat = signs.to_type(ScalarType.Int8).cpu().data<sbyte>().ToArray();
        int k = (int)rows.shape[0], d = (int)rows.shape[1];
        var result = new sbyte[k][];
        for (int i = 0; i < k; i++) result[i] = flat.AsSpan(i * d, d).ToArray();
        return result;
    }

    /// <summary>The fraction of positions where <paramref name="a"/> and <paramref name="b"/> differ.</summary>
    public static double Hamming(ReadOnlySpan<sbyte> a, ReadOnlySpan<sbyte> b)
    {
        if (a.Length != b.Length) throw new ArgumentException($"Sign vectors of {a.Length} and {b.Length} features cannot be compared.");
        if (a.Length == 0) return 0;
        long differ = 0;
        for (int i = 0; i < a.Length; i++) if (a[i] != b[i]) differ++;
        return (double)differ / a.Length;
    }

    /// <summary>Mean and (population) standard deviation of <see cref="Hamming"/> over every unordered pair.</summary>
    public static (double Mean, double StdDev, int Pairs) OverPairs(IReadOnlyList<sbyte[]> signs)
    {
        var values = new List<double>();
        for (int i = 0; i < signs.Count; i++)
            for (int j = i + 1; j < signs.Count; j++) values.Add(Hamming(signs[i], signs[j]));
        var (mean, std) = MeanStd(values);
        return (mean, std, values.Count);
    }

    internal static (double Mean, double StdDev) MeanStd(IReadOnlyList<double> values)
    {
        if (values.Count == 0) return (double.NaN, double.NaN);
        double mean = 0;
        foreach (var v in values) mean += v;
        mean /= values.Count;
        double ss = 0;
        foreach (var v in values) ss += (v - mean) * (v - mean);
        return (mean, Math.Sqrt(ss / values.Count));
    }
}

using System;
using System.Management.Automation;

namespace ConvViz;

/// <summary>The output vector of a feature extractor for one image.</summary>
public sealed class FeatureVector
{
    public string ModelName { get; init; } = "";
    public string ImagePath { get; init; } = "";
    public int Length => Values.Length;
    public double Norm { get; init; }
    [Hidden] public float[] Values { get; init; } = Array.Empty<float>();

    /// <summary>Cosine similarity with another vector of the same length (1 = same direction).</summary>
    public double CosineSimilarity(FeatureVector other)
    {
        if (other.Length != Length) throw new ArgumentException($"Vectors of length {Length} and {other.Length} cannot be compared.");
        double dot = 0;
        for (int i = 0; i < Length; i++) dot += (double)Values[i] * other.Values[i];
        return Norm == 0 || other.Norm == 0 ? 0 : dot / (Norm * other.Norm);
    }

    public override string ToString() => $"{Length}-d features of {ImagePath}";
}

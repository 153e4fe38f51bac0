using System;
using System.Collections.Generic;
using System.Linq;

namespace ConvViz.Engine.Analysis;

/// <summary>
/// What to measure (the paper's Figure 5). Amounts: null gives <see cref="DefaultAmounts"/>.
/// Layers: null gives a low, a middle and the top layer. Class: the class whose probability is
/// reported for classifiers (null: the top class of the untransformed image). Fill: what fills
/// the area a transform uncovers (default the image's mean colour, so no new edge or colour
/// is introduced; Zero matches a conv net's zero padding).
/// </summary>
public sealed record InvarianceOptions
{
    public InvarianceTransform Transform { get; init; } = InvarianceTransform.Translate;
    public TranslateDirection Direction { get; init; } = TranslateDirection.Vertical;
    public IReadOnlyList<double>? Amounts { get; init; }
    public IReadOnlyList<string>? Layers { get; init; }
    public int? Class { get; init; }
    public FillMode Fill { get; init; } = FillMode.Mean;
    /// <summary>Transformed images per forward pass; bounds memory.</summary>
    public int BatchSize { get; init; } = 16;

    /// <summary>
    /// Translate: -60..60 model-input pixels in steps of 10 (the paper's range); Scale: 0.6..1.8
    /// in steps of 0.1; Rotate: 0..350 degrees in steps of 10.
    /// </summary>
    public static IReadOnlyList<double> DefaultAmounts(InvarianceTransform transform) => transform switch
    {
        InvarianceTransform.Translate => Enumerable.Range(-6, 13).Select(i => i * 10.0).ToArray(),
        InvarianceTransform.Scale => Enumerable.Range(6, 13).Select(i => Math.Round(i * 0.1, 10)).ToArray(),
        InvarianceTransform.Rotate => Enumerable.Range(0, 36).Select(i => i * 10.0).ToArray(),
        _ => throw new ArgumentOutOfRangeException(nameof(transform), transform, "Unknown transform."),
    };

    internal IReadOnlyList<double> ResolvedAmounts()
    {
        var amounts = Amounts ?? DefaultAmounts(Transform);
        if (amounts.Count == 0) throw new ArgumentException("No amounts to measure: the range is empty.");
        foreach (var a in amounts)
        {
            if (!double.IsFinite(a)) throw new ArgumentOutOfRangeException(nameof(Amounts), a, "Every amount must be finite.");
            if (Transform == InvarianceTransform.Scale && a <= 0)
                throw new ArgumentOutOfRangeException(nameof(Amounts), a, $"A scale factor must be positive; {a} is not.");
        }
        return amounts;
    }

    internal void Validate()
    {
        if (BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "BatchSize must be at least 1.");
        if (Class is < 0) throw new ArgumentOutOfRangeException(nameof(Class), Class, "Class must not be negative.");
    }
}

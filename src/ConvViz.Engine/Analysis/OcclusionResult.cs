using System.Collections.Generic;

namespace ConvViz.Engine.Analysis;

/// <summary>
/// Occlusion maps, each Rows x Cols row-major (value index = row * Cols + col, cell geometry in
/// <see cref="Grid"/>). Probability / TopClass (and the class fields) are null for feature
/// extractors; Distance is null for classifiers. Baseline* are the unoccluded image's values.
/// </summary>
public sealed record OcclusionResult(
    OcclusionGrid Grid,
    FillMode Fill,
    IReadOnlyList<float> FillColor,
    int? Class,
    string? ClassName,
    float? BaselineProbability,
    int? BaselineTopClass,
    float[]? Probability,
    int[]? TopClass,
    string Layer,
    int Unit,
    float BaselineActivation,
    float[] Activation,
    float[]? Distance)
{
    public int Rows => Grid.Rows;
    public int Cols => Grid.Cols;
}

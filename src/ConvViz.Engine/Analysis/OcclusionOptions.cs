using System;

namespace ConvViz.Engine.Analysis;

/// <summary>
/// How to occlude (paper section 4.2). Class: the class whose probability is mapped (null: the
/// top class of the unoccluded image). Layer / Unit: the feature map whose total activation is
/// mapped (null: the last layer with a C x H x W output, and its unit with the largest summed
/// activation on the unoccluded image).
/// </summary>
public sealed record OcclusionOptions
{
    public int PatchSize { get; init; } = 32;
    public int Stride { get; init; } = 8;
    public FillMode Fill { get; init; } = FillMode.Mean;
    /// <summary>Occluded copies per forward pass; bounds memory (BatchSize x 3 x H x W plus the activations).</summary>
    public int BatchSize { get; init; } = 32;
    public int? Class { get; init; }
    public string? Layer { get; init; }
    public int? Unit { get; init; }

    public static OcclusionOptions Default { get; } = new();

    internal void Validate()
    {
        if (BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "BatchSize must be at least 1.");
        if (Unit is < 0) throw new ArgumentOutOfRangeException(nameof(Unit), Unit, "Unit must not be negative.");
        if (Class is < 0) throw new ArgumentOutOfRangeException(nameof(Class), Class, "Class must not be negative.");
    }
}

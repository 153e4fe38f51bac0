using System;
using System.Collections.Generic;

namespace ConvViz.Engine.Analysis;

/// <summary>
/// How to measure correspondence (Zeiler and Fergus 2014, section 4.3). Layers: null gives the
/// top layer with a C x H x W output and the model's last layer (the paper used layers 5 and 7).
/// RandomTrials: how many times each image is also occluded by a square of the part's size at
/// a random place, the paper's control; 0 skips the control. Tolerance: a change smaller than
/// Tolerance x the largest |activation| of the unoccluded image's layer counts as no change,
/// so float round-off where the occluder cannot reach is not read as a sign.
/// </summary>
public sealed record CorrespondenceOptions
{
    public IReadOnlyList<string>? Layers { get; init; }
    public FillMode Fill { get; init; } = FillMode.Mean;
    public int RandomTrials { get; init; } = 10;
    /// <summary>Seeds the random placements, so a run can be repeated exactly.</summary>
    public int Seed { get; init; }
    /// <summary>Occluded copies per forward pass (plus the unoccluded image); bounds memory.</summary>
    public int BatchSize { get; init; } = 16;
    public double Tolerance { get; init; } = 1e-5;

    internal void Validate()
    {
        if (BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "BatchSize must be at least 1.");
        if (RandomTrials < 0) throw new ArgumentOutOfRangeException(nameof(RandomTrials), RandomTrials, "RandomTrials must not be negative.");
        if (!(Tolerance >= 0 && Tolerance < 1)) throw new ArgumentOutOfRangeException(nameof(Tolerance), Tolerance, "Tolerance must be in [0, 1).");
    }
}

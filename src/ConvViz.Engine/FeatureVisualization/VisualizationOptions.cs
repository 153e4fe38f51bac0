using System;

namespace ConvViz.Engine.FeatureVisualization;

/// <summary>Settings of one feature-visualisation run.</summary>
public sealed record VisualizationOptions
{
    /// <summary>Side of the square image optimised (pixels).</summary>
    public int Size { get; init; } = 224;
    public int Steps { get; init; } = 512;
    public int Seed { get; init; }
    /// <summary>Images (units) optimised together in one batch; memory is bounded by it.</summary>
    public int BatchSize { get; init; } = 8;
    /// <summary>Adam's learning rate on the Fourier coefficients (Lucid's default, 0.05).</summary>
    public double LearningRate { get; init; } = 0.05;
    /// <summary>Random pad, shift, scale and rotation each step (<see cref="RobustTransforms"/>); off only for tests of the parameterisation.</summary>
    public bool Transforms { get; init; } = true;
    public string Device { get; init; } = "auto";

    public void Validate()
    {
        if (Size < 8 || Size > 1024) throw new ArgumentOutOfRangeException(nameof(Size), Size, $"Size {Size} is outside 8..1024 pixels.");
        if (Steps < 1 || Steps > 100_000) throw new ArgumentOutOfRangeException(nameof(Steps), Steps, $"Steps {Steps} is outside 1..100000.");
        if (BatchSize < 1 || BatchSize > 1024) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, $"BatchSize {BatchSize} is outside 1..1024.");
        if (!(LearningRate > 0) || double.IsInfinity(LearningRate)) throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, $"Learning rate {LearningRate} must be a positive number.");
    }
}

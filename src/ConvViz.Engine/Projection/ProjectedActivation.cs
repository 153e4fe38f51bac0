namespace ConvViz.Engine.Projection;

/// <summary>A projection in model-input space (C x H x W floats) and the activation it came from.</summary>
public sealed record ProjectedActivation(float[] Pixels, long Y, long X, float Value)
{
    /// <summary>One projection per rule asked for, in order (the first is <see cref="Pixels"/>).</summary>
    public float[][] ByRule { get; init; } = new[] { Pixels };
}

namespace ConvViz.Engine.Projection;

/// <summary>A projection in model-input space (C x H x W floats) and the activation it came from.</summary>
public sealed record ProjectedActivation(float[] Pixels, long Y, long X, float Value);

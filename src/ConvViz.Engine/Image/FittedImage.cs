namespace ConvViz.Engine.Image;

/// <summary>A model-ready image: 3 x H x W float RGB (CHW) in [0, PixelMax], and how it was made.</summary>
public sealed record FittedImage(float[] Pixels, ImageGeometry Geometry);

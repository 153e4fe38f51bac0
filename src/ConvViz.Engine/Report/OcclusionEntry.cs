using ConvViz.Engine.Grid;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace ConvViz.Engine.Report;

/// <summary>An occlusion-sensitivity result: the image and its 1 x H x W map (any resolution;
/// it is stretched over the image).</summary>
public sealed record OcclusionEntry(string Title, Image<Rgb24> Image, FloatPlanes Map, string? Caption = null);

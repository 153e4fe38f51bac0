using ConvViz.Engine.Models;

namespace ConvViz.Engine.Import;

/// <summary>
/// What an ONNX file does not say about its input. Width and Height default to the file's
/// fixed input size (224 where the size is symbolic); PixelMax is the pixel range the graph
/// expects (255 for raw RGB, 1 for [0, 1]); Output defaults to a guess from the last op.
/// </summary>
public sealed record OnnxImportOptions
{
    public string? Name { get; init; }
    public string? Source { get; init; }
    public int? Width { get; init; }
    public int? Height { get; init; }
    public float PixelMax { get; init; } = 255f;
    public ResizeMode Resize { get; init; } = ResizeMode.Stretch;
    public ModelOutputKind? Output { get; init; }
}

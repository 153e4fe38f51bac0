using ConvViz.Engine.Models;

namespace ConvViz.Engine.Import;

/// <summary>
/// What an ONNX file does not say about its input. Width and Height default to the file's
/// fixed input size (224 where the size is symbolic); Output defaults to a guess from the last op.
/// The preprocessing (Preset, PixelMax, ChannelOrder, Mean, Std, Resize, ResizeTo) is taken, in
/// this order of precedence, from these options, the preset named here, the file's
/// <c>convviz.*</c> metadata (<see cref="OnnxInputMetadata"/>), and otherwise it is unknown
/// (raw RGB 0-255, stretched). ConventionInGraph says the graph does its own normalisation.
/// </summary>
public sealed record OnnxImportOptions
{
    public string? Name { get; init; }
    public string? Source { get; init; }
    public int? Width { get; init; }
    public int? Height { get; init; }
    public string? Preset { get; init; }
    public float? PixelMax { get; init; }
    public ChannelOrder? ChannelOrder { get; init; }
    public float[]? Mean { get; init; }
    public float[]? Std { get; init; }
    public ResizeMode? Resize { get; init; }
    public int? ResizeTo { get; init; }
    public bool ConventionInGraph { get; init; }
    public ModelOutputKind? Output { get; init; }
    /// <summary>Import budget: the most values any one tensor made at import may have (examples, folded constants).</summary>
    public long MaxTensorElements { get; init; } = DefaultMaxTensorElements;
    /// <summary>Import budget: the most values all examples (and, apart, all folded constants) may have together.</summary>
    public long MaxTotalElements { get; init; } = DefaultMaxTotalElements;

    /// <summary>2^27 values (512 MiB of float32): a 1024x1024 ResNet's widest map is 16.7M.</summary>
    public const long DefaultMaxTensorElements = 1L << 27;
    /// <summary>2^28 values (1 GiB of float32) for all examples together, the same again for constants.</summary>
    public const long DefaultMaxTotalElements = 1L << 28;
}

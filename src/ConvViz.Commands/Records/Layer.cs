using System.Collections.Generic;

namespace ConvViz;

/// <summary>One layer of a model with its output geometry and receptive field, as on the slide.</summary>
public sealed class Layer
{
    public string Model { get; init; } = "";
    /// <summary>The model's input preprocessing, shown in Get-ConvLayer's header.</summary>
    public string Preprocessing { get; init; } = "";
    public int Index { get; init; }
    public string Name { get; init; } = "";
    public IReadOnlyList<string> Aliases { get; init; } = new List<string>();
    public string Kind { get; init; } = "";
    public long Channels { get; init; }
    public long Height { get; init; }
    public long Width { get; init; }
    /// <summary>C x H x W for the model's input size.</summary>
    public string OutputShape { get; init; } = "";
    /// <summary>C x H x W after the max-pool that follows the layer (the same as OutputShape where none does).</summary>
    public string PooledShape { get; init; } = "";
    /// <summary>Receptive field size in input pixels (height x width; the whole input when Global).</summary>
    public long ReceptiveField { get; init; }
    public long ReceptiveFieldWidth { get; init; }
    /// <summary>Effective stride: input pixels between neighbouring units.</summary>
    public long Jump { get; init; }
    /// <summary>Input pixel where unit (0, 0)'s field starts; negative inside the padding.</summary>
    public long Start { get; init; }
    public bool Global { get; init; }
    public long Parameters { get; init; }

    public override string ToString() => Name;
}

using System.Management.Automation;

namespace ConvViz;

/// <summary>The activation maps of one layer for one image (the slide's "6×6×256").</summary>
public sealed class FeatureMap
{
    public string ModelName { get; init; } = "";
    public string ImagePath { get; init; } = "";
    public string Layer { get; init; } = "";
    public string Stage { get; init; } = "Activation";
    public int Channels { get; init; }
    public int Height { get; init; }
    public int Width { get; init; }
    /// <summary>Channels x Height x Width floats, channel-major.</summary>
    [Hidden] public float[] Values { get; init; } = System.Array.Empty<float>();
    /// <summary>The unit whose map has the largest total activation.</summary>
    public int StrongestUnit { get; init; }
    public float Max { get; init; }

    /// <summary>The value of unit <paramref name="unit"/> at (<paramref name="y"/>, <paramref name="x"/>).</summary>
    public float Get(int unit, int y, int x) => Values[(unit * Height + y) * Width + x];

    public override string ToString() => $"{Layer} {Channels}×{Height}×{Width} of {ImagePath}";
}

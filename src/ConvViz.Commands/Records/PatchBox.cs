using ConvViz.Engine.Graph;

namespace ConvViz;

/// <summary>A pixel rectangle [Top, Bottom) x [Left, Right) of an image.</summary>
public sealed record PatchBox(long Top, long Left, long Bottom, long Right)
{
    public long Width => Right - Left;
    public long Height => Bottom - Top;

    internal static PatchBox From(PixelBox b) => new(b.Top, b.Left, b.Bottom, b.Right);
    internal PixelBox ToPixelBox() => new(Top, Left, Bottom, Right);

    public override string ToString() => $"[{Top}:{Bottom}, {Left}:{Right}]";
}

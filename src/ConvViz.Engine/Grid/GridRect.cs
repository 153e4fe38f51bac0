namespace ConvViz.Engine.Grid;

/// <summary>A pixel rectangle on a sheet: columns [X, X+Width), rows [Y, Y+Height).</summary>
public readonly record struct GridRect(int X, int Y, int Width, int Height)
{
    public int Right => X + Width;
    public int Bottom => Y + Height;
    public bool Contains(int x, int y) => x >= X && x < Right && y >= Y && y < Bottom;
    public override string ToString() => $"{Width}x{Height}+{X}+{Y}";
}

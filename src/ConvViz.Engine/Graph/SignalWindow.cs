using System;
using System.Linq;
using static TorchSharp.torch;

namespace ConvViz.Engine.Graph;

/// <summary>
/// Where a reconstruction signal may be non-zero: for each batch row its own rectangle of the
/// node's map (Top/Left per row), every rectangle the same size. A projection starts at one
/// activation and each adjoint spreads it only as far as the op's window reaches, so the way
/// down can compute on these rectangles instead of whole maps: a layer3 unit of ResNet-18
/// touches 1 of 196 positions at its own layer and 15 x 15 of 28 x 28 one stage down. Positions
/// of a rectangle that lie outside the map hold zeros (they stand for padding). Exact: every
/// value outside the rectangle is zero in the whole-map computation too.
/// </summary>
public sealed class SignalWindow
{
    public SignalWindow(long[] top, long[] left, long height, long width, long mapHeight, long mapWidth)
    {
        if (top.Length != left.Length) throw new ArgumentException("One top and one left per row.");
        Top = top; Left = left; Height = height; Width = width; MapHeight = mapHeight; MapWidth = mapWidth;
    }

    public long[] Top { get; }
    public long[] Left { get; }
    public long Height { get; }
    public long Width { get; }
    public long MapHeight { get; }
    public long MapWidth { get; }
    public int Rows => Top.Length;

    public static SignalWindow Whole(int rows, long mapHeight, long mapWidth)
        => new(new long[rows], new long[rows], mapHeight, mapWidth, mapHeight, mapWidth);

    /// <summary>An op input of this shape (C x H x W) is the signal's own map: nothing broadcast.</summary>
    public bool IsMapOf(long[] shape, long channels)
        => shape.Length == 3 && shape[0] == channels && shape[1] == MapHeight && shape[2] == MapWidth;

    /// <summary>
    /// On an axis where the rectangle is at least as long as the map, the whole axis instead: it holds
    /// every row's part inside the map, and nothing longer is needed (likewise for columns).
    /// </summary>
    public SignalWindow ClippedToMap()
    {
        bool rows = Height >= MapHeight, cols = Width >= MapWidth;
        if (!rows && !cols) return this;
        return new SignalWindow(rows ? new long[Rows] : Top, cols ? new long[Rows] : Left,
            rows ? MapHeight : Height, cols ? MapWidth : Width, MapHeight, MapWidth);
    }

    public bool SameAs(SignalWindow other)
        => Height == other.Height && Width == other.Width && Top.SequenceEqual(other.Top) && Left.SequenceEqual(other.Left);

    /// <summary>
    /// The smallest window holding both, when their rows are offset from each other by the same
    /// amount in every row (branches of one graph from one seed always are); otherwise null.
    /// </summary>
    public static SignalWindow? Union(SignalWindow a, SignalWindow b)
    {
        if (a.Rows != b.Rows || a.MapHeight != b.MapHeight || a.MapWidth != b.MapWidth) return null;
        long dy = b.Top[0] - a.Top[0], dx = b.Left[0] - a.Left[0];
        for (int r = 1; r < a.Rows; r++)
            if (b.Top[r] - a.Top[r] != dy || b.Left[r] - a.Left[r] != dx) return null;
        long up = Math.Min(0, dy), leftmost = Math.Min(0, dx);
        long height = Math.Max(a.Height, dy + b.Height) - up, width = Math.Max(a.Width, dx + b.Width) - leftmost;
        return new SignalWindow(a.Top.Select(t => t + up).ToArray(), a.Left.Select(l => l + leftmost).ToArray(), height, width, a.MapHeight, a.MapWidth)
            .ClippedToMap();
    }

    /// <summary>
    /// N x C x <paramref name="to"/>.Height x Width: the values of <paramref name="data"/> (laid out
    /// in <paramref name="from"/>) at the positions of <paramref name="to"/>, zero where
    /// <paramref name="from"/> has none or the position is outside the map. Any dtype.
    /// </summary>
    public static Tensor Reframe(Tensor data, SignalWindow from, SignalWindow to)
    {
        if (from.SameAs(to) && to.InsideMap) return data.alias();
        // Row by row: one rectangle copy each (a chunk has at most a few dozen rows).
        var result = zeros(new[] { data.shape[0], data.shape[1], to.Height, to.Width }, data.dtype, data.device);
        for (int r = 0; r < to.Rows; r++)
        {
            // The map positions both windows hold, in map coordinates.
            long y0 = Math.Max(Math.Max(from.Top[r], to.Top[r]), 0), y1 = Math.Min(Math.Min(from.Top[r] + from.Height, to.Top[r] + to.Height), to.MapHeight);
            long x0 = Math.Max(Math.Max(from.Left[r], to.Left[r]), 0), x1 = Math.Min(Math.Min(from.Left[r] + from.Width, to.Left[r] + to.Width), to.MapWidth);
            if (y0 >= y1 || x0 >= x1) continue;
            using var source = data[r].narrow(1, y0 - from.Top[r], y1 - y0).narrow(2, x0 - from.Left[r], x1 - x0);
            using var place = result[r].narrow(1, y0 - to.Top[r], y1 - y0).narrow(2, x0 - to.Left[r], x1 - x0);
            place.copy_(source);
        }
        return result;
    }

    /// <summary>The whole-map tensor (a tape entry) cut to this window, zero outside the map.</summary>
    public Tensor Cut(Tensor whole) => Reframe(whole, Whole(Rows, MapHeight, MapWidth), this);

    /// <summary><paramref name="data"/> with the positions outside the map set to zero.</summary>
    public Tensor MaskOutside(Tensor data) => Reframe(data, this, this);

    /// <summary>Every row's rectangle lies inside the map.</summary>
    public bool InsideMap
    {
        get
        {
            for (int r = 0; r < Rows; r++)
                if (Top[r] < 0 || Left[r] < 0 || Top[r] + Height > MapHeight || Left[r] + Width > MapWidth) return false;
            return true;
        }
    }
}

using System;

namespace ConvViz.Engine.Grid;

/// <summary>
/// A plain grid of equal tiles (filter and feature-map sheets): tile i at column i % C,
/// row i / C, origin (Margin + col*(TileWidth + Gap), Margin + row*(TileHeight + Gap)).
/// </summary>
public sealed class TileGridLayout
{
    public int Count { get; }
    public int Columns { get; }
    public int Rows { get; }
    public int TileWidth { get; }
    public int TileHeight { get; }
    public int Gap { get; }
    public int Margin { get; }
    public int Width { get; }
    public int Height { get; }

    public TileGridLayout(int count, int columns, int tileWidth, int tileHeight, int gap, int margin)
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "A grid needs at least one tile.");
        if (columns < 1) throw new ArgumentOutOfRangeException(nameof(columns), columns, "Columns must be at least 1.");
        if (tileWidth < 1 || tileHeight < 1) throw new ArgumentOutOfRangeException(nameof(tileWidth), "Tiles need positive size.");
        if (gap < 0 || margin < 0) throw new ArgumentOutOfRangeException(nameof(gap), "Gap and margin cannot be negative.");
        Count = count;
        Columns = Math.Min(columns, count);
        Rows = (count + Columns - 1) / Columns;
        TileWidth = tileWidth; TileHeight = tileHeight; Gap = gap; Margin = margin;
        long width = 2L * margin + (long)Columns * tileWidth + (Columns - 1L) * gap;
        long height = 2L * margin + (long)Rows * tileHeight + (Rows - 1L) * gap;
        if (width > PatchGridLayout.MaxSide || height > PatchGridLayout.MaxSide || width * height > PatchGridLayout.MaxPixels)
            throw new ArgumentException($"A grid of {count} tiles would be {width} x {height} pixels, over the sheet limit; use more columns or smaller tiles.");
        Width = (int)width; Height = (int)height;
    }

    /// <summary>ceil(sqrt(count)): the squarest grid.</summary>
    public static int SquareColumns(int count)
    {
        int c = 1;
        while (c * c < count) c++;
        return c;
    }

    public GridRect Tile(int index)
    {
        if ((uint)index >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(index));
        int col = index % Columns, row = index / Columns;
        return new GridRect(Margin + col * (TileWidth + Gap), Margin + row * (TileHeight + Gap), TileWidth, TileHeight);
    }
}

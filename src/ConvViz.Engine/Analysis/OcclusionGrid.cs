using System;
using System.Collections.Generic;
using ConvViz.Engine.Graph;
using ConvViz.Engine.Image;

namespace ConvViz.Engine.Analysis;

/// <summary>
/// Where the occluder goes. The model input (Width x Height) is cut into cells of Stride x
/// Stride pixels, row-major, the last row and column narrower when Stride does not divide the
/// size: Rows = ceil(Height / Stride), Cols = ceil(Width / Stride), and cell (r, c) covers
/// rows [r*Stride, min((r+1)*Stride, Height)). The cells tile the input with no gap or overlap,
/// so map value (r, c) can be painted over exactly that cell. For cell (r, c) the occluder is
/// the PatchSize square centred on the cell (top = floor((cellTop + cellBottom - PatchSize) / 2)),
/// clipped to the input: near the border part of the square falls outside, as in the paper.
/// </summary>
public sealed record OcclusionGrid
{
    public OcclusionGrid(int inputWidth, int inputHeight, int patchSize, int stride, ImageGeometry? geometry = null)
    {
        if (inputWidth <= 0 || inputHeight <= 0)
            throw new ArgumentOutOfRangeException(nameof(inputWidth), $"The input size {inputWidth}x{inputHeight} is not positive.");
        if (patchSize < 1 || patchSize > Math.Min(inputWidth, inputHeight))
            throw new ArgumentOutOfRangeException(nameof(patchSize), patchSize, $"PatchSize must be 1..{Math.Min(inputWidth, inputHeight)} (the model input is {inputWidth}x{inputHeight}).");
        if (stride < 1 || stride > Math.Min(inputWidth, inputHeight))
            throw new ArgumentOutOfRangeException(nameof(stride), stride, $"Stride must be 1..{Math.Min(inputWidth, inputHeight)} (the model input is {inputWidth}x{inputHeight}).");
        if (geometry is not null && (geometry.InputWidth != inputWidth || geometry.InputHeight != inputHeight))
            throw new ArgumentException($"The geometry is for a {geometry.InputWidth}x{geometry.InputHeight} input, the grid for {inputWidth}x{inputHeight}.", nameof(geometry));
        InputWidth = inputWidth; InputHeight = inputHeight; PatchSize = patchSize; Stride = stride; Geometry = geometry;
        Rows = (inputHeight + stride - 1) / stride;
        Cols = (inputWidth + stride - 1) / stride;
    }

    public int InputWidth { get; }
    public int InputHeight { get; }
    public int PatchSize { get; }
    public int Stride { get; }
    public int Rows { get; }
    public int Cols { get; }
    public int Count => Rows * Cols;
    /// <summary>How the original image became the input; null when the input tensor was given directly.</summary>
    public ImageGeometry? Geometry { get; }

    public PixelBox CellBox(int row, int col)
    {
        Check(row, col);
        return new PixelBox(row * Stride, col * Stride, Math.Min((row + 1) * Stride, InputHeight), Math.Min((col + 1) * Stride, InputWidth));
    }

    public PixelBox OccluderBox(int row, int col)
    {
        var cell = CellBox(row, col);
        long top = FloorHalf(cell.Top + cell.Bottom - PatchSize);
        long left = FloorHalf(cell.Left + cell.Right - PatchSize);
        return new PixelBox(Math.Max(0, top), Math.Max(0, left), Math.Min(InputHeight, top + PatchSize), Math.Min(InputWidth, left + PatchSize));
    }

    /// <summary>The cell containing model-input pixel (y, x).</summary>
    public (int Row, int Col) CellAt(long y, long x)
    {
        if (y < 0 || y >= InputHeight || x < 0 || x >= InputWidth)
            throw new ArgumentOutOfRangeException(nameof(y), $"Pixel ({y}, {x}) is outside the {InputWidth}x{InputHeight} input.");
        return ((int)(y / Stride), (int)(x / Stride));
    }

    public OcclusionCell Cell(int row, int col)
    {
        var cell = CellBox(row, col);
        var occluder = OccluderBox(row, col);
        return new OcclusionCell(row, col, cell, occluder, Geometry?.ToOriginal(cell), Geometry?.ToOriginal(occluder));
    }

    /// <summary>Every cell, row-major (index = row * Cols + col, the order of the maps).</summary>
    public IReadOnlyList<OcclusionCell> Cells()
    {
        var cells = new OcclusionCell[Count];
        for (int r = 0; r < Rows; r++)
            for (int c = 0; c < Cols; c++) cells[r * Cols + c] = Cell(r, c);
        return cells;
    }

    private void Check(int row, int col)
    {
        if ((uint)row >= (uint)Rows || (uint)col >= (uint)Cols)
            throw new ArgumentOutOfRangeException(nameof(row), $"Cell ({row}, {col}) is outside the {Rows}x{Cols} grid.");
    }

    private static long FloorHalf(long v) => v >= 0 ? v / 2 : -((-v + 1) / 2);
}

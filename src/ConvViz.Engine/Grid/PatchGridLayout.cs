using System;

namespace ConvViz.Engine.Grid;

/// <summary>
/// Exact geometry of a patch-grid sheet (the paper's Figure 2), computable without drawing.
/// <para>Per unit, k cells form a panel of g = ceil(sqrt(k)) columns and r = ceil(k / g) rows;
/// rank i sits at panel row i / g, column i % g. Panel size: P_w = g*S + (g-1)*CellGap,
/// P_h = r*S + (r-1)*CellGap (S = CellSize).</para>
/// <para>A unit block is the label strip (L = LabelHeight, or 0 without labels) over the
/// panels; with <see cref="PatchPanels.Both"/> the projection panel is on the left and the
/// patch panel starts P_w + PanelGap to its right. Block: B_w = P_w (or 2 P_w + PanelGap),
/// B_h = L + P_h. With n projection panels (one per method, <see cref="PatchGridOptions.ProjectionPanels"/>)
/// they sit side by side, PanelGap apart, left of the patch panel: B_w = n P_w + n PanelGap + P_w
/// (Both) or n P_w + (n-1) PanelGap (Projections).</para>
/// <para>Unit u sits at sheet column u % C, row u / C (C = min(Columns, units)); its block's
/// origin is (Margin + col*(B_w + UnitGap), Margin + row*(B_h + UnitGap)). The sheet is
/// 2 Margin + C B_w + (C-1) UnitGap wide and 2 Margin + R B_h + (R-1) UnitGap high.</para>
/// </summary>
public sealed class PatchGridLayout
{
    public const int Margin = 8;
    public const int CellGap = 2;
    public const int PanelGap = 8;
    public const int UnitGap = 16;
    public const int LabelHeight = 18;

    /// <summary>Sheets larger than this on a side cannot be written as JPEG and strain memory.</summary>
    public const int MaxSide = 65_000;
    public const long MaxPixels = 256L * 1024 * 1024;

    public int UnitCount { get; }
    public int CellsPerUnit { get; }
    public int CellSize { get; }
    public PatchPanels Panels { get; }
    public int SheetColumns { get; }
    public int SheetRows { get; }
    public int GridColumns { get; }
    public int GridRows { get; }
    public int LabelStrip { get; }
    public int PanelWidth { get; }
    public int PanelHeight { get; }
    /// <summary>Projection panels per unit (one per method).</summary>
    public int ProjectionPanels { get; }
    public int BlockWidth { get; }
    public int BlockHeight { get; }
    public int Width { get; }
    public int Height { get; }

    private PatchGridLayout(int units, int k, PatchGridOptions o)
    {
        UnitCount = units;
        CellsPerUnit = k;
        CellSize = o.CellSize;
        Panels = o.Layout;
        GridColumns = (int)Math.Ceiling(Math.Sqrt(k));
        // Exact integer ceil(sqrt): floating sqrt of a perfect square can land just above it.
        while ((GridColumns - 1) * (GridColumns - 1) >= k) GridColumns--;
        while (GridColumns * GridColumns < k) GridColumns++;
        GridRows = (k + GridColumns - 1) / GridColumns;
        LabelStrip = o.Labels ? LabelHeight : 0;
        PanelWidth = GridColumns * CellSize + (GridColumns - 1) * CellGap;
        PanelHeight = GridRows * CellSize + (GridRows - 1) * CellGap;
        ProjectionPanels = Math.Max(1, o.ProjectionPanels ?? 1);
        int n = Panels == PatchPanels.Patches ? 0 : ProjectionPanels;
        int panelCount = n + (Panels == PatchPanels.Projections ? 0 : 1);
        BlockWidth = panelCount * PanelWidth + (panelCount - 1) * PanelGap;
        BlockHeight = LabelStrip + PanelHeight;
        SheetColumns = Math.Min(o.Columns, units);
        SheetRows = (units + SheetColumns - 1) / SheetColumns;
        long width = 2L * Margin + (long)SheetColumns * BlockWidth + (SheetColumns - 1L) * UnitGap;
        long height = 2L * Margin + (long)SheetRows * BlockHeight + (SheetRows - 1L) * UnitGap;
        if (width > MaxSide || height > MaxSide || width * height > MaxPixels)
            throw new ArgumentException(
                $"A sheet of {units} units would be {width} x {height} pixels, over the limit of {MaxSide} per side and {MaxPixels} pixels; " +
                "use fewer units per sheet, more columns or a smaller cell size.");
        Width = (int)width;
        Height = (int)height;
    }

    public static PatchGridLayout Create(int unitCount, int cellsPerUnit, PatchGridOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (unitCount < 1) throw new ArgumentException("A patch grid needs at least one unit.", nameof(unitCount));
        if (cellsPerUnit < 1 || cellsPerUnit > 1024) throw new ArgumentOutOfRangeException(nameof(cellsPerUnit), cellsPerUnit, "Cells per unit must be in 1..1024.");
        if (options.Columns < 1) throw new ArgumentOutOfRangeException(nameof(options), options.Columns, "Columns must be at least 1.");
        if (options.CellSize < 4 || options.CellSize > 2048) throw new ArgumentOutOfRangeException(nameof(options), options.CellSize, "CellSize must be in 4..2048 pixels.");
        if (!Enum.IsDefined(options.Layout)) throw new ArgumentOutOfRangeException(nameof(options), options.Layout, "Unknown layout.");
        return new PatchGridLayout(unitCount, cellsPerUnit, options);
    }

    /// <summary>The whole block of unit u (label strip and panels).</summary>
    public GridRect Block(int unit)
    {
        if ((uint)unit >= (uint)UnitCount) throw new ArgumentOutOfRangeException(nameof(unit));
        int col = unit % SheetColumns, row = unit / SheetColumns;
        return new GridRect(Margin + col * (BlockWidth + UnitGap), Margin + row * (BlockHeight + UnitGap), BlockWidth, BlockHeight);
    }

    /// <summary>The label strip of unit u, or null without labels.</summary>
    public GridRect? Label(int unit)
    {
        if (LabelStrip == 0) return null;
        var b = Block(unit);
        return new GridRect(b.X, b.Y, b.Width, LabelStrip);
    }

    /// <summary>Whether the sheet shows <paramref name="panel"/> (Projections or Patches).</summary>
    public bool Shows(PatchPanels panel) => Panels == PatchPanels.Both || Panels == panel;

    /// <summary>The cell of rank <paramref name="rank"/> (0 = strongest) of unit u in the given panel.</summary>
    public GridRect Cell(int unit, int rank, PatchPanels panel) => Cell(unit, rank, panel, 0);

    /// <summary>The left edge of a panel, relative to its block: projection panel <paramref name="index"/>, or the patch panel.</summary>
    public int PanelX(PatchPanels panel, int index = 0)
    {
        if (panel == PatchPanels.Both || !Shows(panel))
            throw new ArgumentException($"The sheet has no {panel} panel (layout {Panels}).", nameof(panel));
        if (panel == PatchPanels.Projections)
        {
            if ((uint)index >= (uint)ProjectionPanels) throw new ArgumentOutOfRangeException(nameof(index), index, $"The sheet has {ProjectionPanels} projection panels.");
            return index * (PanelWidth + PanelGap);
        }
        return Panels == PatchPanels.Both ? ProjectionPanels * (PanelWidth + PanelGap) : 0;
    }

    /// <summary>The cell of rank <paramref name="rank"/> in projection panel <paramref name="index"/> (or the patch panel).</summary>
    public GridRect Cell(int unit, int rank, PatchPanels panel, int index)
    {
        if ((uint)rank >= (uint)CellsPerUnit) throw new ArgumentOutOfRangeException(nameof(rank));
        int panelX = PanelX(panel, index);
        var b = Block(unit);
        int gx = rank % GridColumns, gy = rank / GridColumns;
        return new GridRect(b.X + panelX + gx * (CellSize + CellGap), b.Y + LabelStrip + gy * (CellSize + CellGap), CellSize, CellSize);
    }

    /// <summary>
    /// Where a picture of width x height goes inside <paramref name="cell"/>: scaled (up or
    /// down) by min(cellW / width, cellH / height) so it fits keeping its aspect ratio, each
    /// side rounded and at least 1 px, centred with the odd pixel left/top (floor).
    /// </summary>
    public static GridRect Fit(int width, int height, GridRect cell)
    {
        if (width < 1 || height < 1) throw new ArgumentOutOfRangeException(nameof(width), "A picture needs positive size.");
        double scale = Math.Min((double)cell.Width / width, (double)cell.Height / height);
        int w = Math.Clamp((int)Math.Round(width * scale, MidpointRounding.AwayFromZero), 1, cell.Width);
        int h = Math.Clamp((int)Math.Round(height * scale, MidpointRounding.AwayFromZero), 1, cell.Height);
        return new GridRect(cell.X + (cell.Width - w) / 2, cell.Y + (cell.Height - h) / 2, w, h);
    }
}

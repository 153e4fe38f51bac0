using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace ConvViz.Engine.Grid;

/// <summary>
/// Draws the paper's Figure 2: per unit, its top-k projections beside the matching image
/// patches, many units per sheet. Geometry is <see cref="PatchGridLayout"/>'s, exactly.
/// </summary>
public static class PatchGridRenderer
{
    /// <summary>The layout that <see cref="Render"/> uses for these units and options.</summary>
    public static PatchGridLayout LayoutFor(IReadOnlyList<UnitEntry> units, PatchGridOptions options)
    {
        ArgumentNullException.ThrowIfNull(units);
        ArgumentNullException.ThrowIfNull(options);
        int k = options.CellsPerUnit ?? Math.Max(1, units.Count == 0 ? 1 : units.Max(u => u.Items?.Count ?? 0));
        return PatchGridLayout.Create(units.Count, k, options);
    }

    public static Image<Rgb24> Render(IReadOnlyList<UnitEntry> units, PatchGridOptions? options = null)
    {
        options ??= new PatchGridOptions();
        var layout = LayoutFor(units, options);
        var sheet = new Image<Rgb24>(layout.Width, layout.Height, options.Background);
        try
        {
            for (int u = 0; u < units.Count; u++)
                DrawUnit(sheet, layout, u, units[u] ?? throw new ArgumentException($"Unit entry {u} is null.", nameof(units)), options);
            return sheet;
        }
        catch
        {
            sheet.Dispose();
            throw;
        }
    }

    /// <summary>The text of a unit's label strip.</summary>
    public static string LabelOf(UnitEntry unit) => $"{unit.Layer}  #{unit.Unit.ToString(CultureInfo.InvariantCulture)}";

    private static void DrawUnit(Image<Rgb24> sheet, PatchGridLayout layout, int u, UnitEntry unit, PatchGridOptions options)
    {
        if (layout.Label(u) is GridRect label && options.Labels)
            TextRasterizer.TryDraw(sheet, label, LabelOf(unit), options.LabelColor, options.Background, Math.Clamp(layout.LabelStrip * 0.65f, 8f, 14f));
        var items = unit.Items ?? Array.Empty<UnitItem>();
        for (int rank = 0; rank < layout.CellsPerUnit; rank++)
        {
            UnitItem? item = rank < items.Count ? items[rank] : null;
            if (layout.Shows(PatchPanels.Projections))
            {
                var cell = layout.Cell(u, rank, PatchPanels.Projections);
                PixelOps.Fill(sheet, cell, options.CellBackground);
                if (item?.Projection is FloatPlanes projection)
                {
                    using var picture = DisplayNormalization.ToImage(projection, options.Normalization);
                    PixelOps.DrawFitted(sheet, picture, cell, PixelOps.Smooth);
                }
            }
            if (layout.Shows(PatchPanels.Patches))
            {
                var cell = layout.Cell(u, rank, PatchPanels.Patches);
                PixelOps.Fill(sheet, cell, options.CellBackground);
                if (item?.Patch is Image<Rgb24> patch)
                    PixelOps.DrawFitted(sheet, patch, cell, PixelOps.Smooth);
            }
        }
    }
}

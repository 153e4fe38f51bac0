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
        int panels = options.ProjectionPanels ?? Math.Max(1, units.Count == 0 ? 1 : units.Max(PanelsOf));
        return PatchGridLayout.Create(units.Count, k, options with { ProjectionPanels = panels });
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

    /// <summary>The projection panels a unit needs: one per method (at least its items' projections).</summary>
    public static int PanelsOf(UnitEntry unit)
        => Math.Max(Math.Max(1, unit.Methods?.Count ?? 0), unit.Items?.Where(i => i is not null).Select(i => i.AllProjections.Count).DefaultIfEmpty(1).Max() ?? 1);

    /// <summary>The label over each panel: the unit and the first method over the first projection panel,
    /// the method over every other one (nothing over the patches), or the unit alone without methods.</summary>
    public static string PanelLabel(UnitEntry unit, int index)
    {
        string? method = unit.Methods is { } m && index < m.Count ? m[index] : null;
        if (index == 0) return method is null ? LabelOf(unit) : $"{LabelOf(unit)} · {method}";
        return method ?? "";
    }

    private static void DrawUnit(Image<Rgb24> sheet, PatchGridLayout layout, int u, UnitEntry unit, PatchGridOptions options)
    {
        if (layout.Label(u) is GridRect label && options.Labels)
        {
            float size = Math.Clamp(layout.LabelStrip * 0.65f, 8f, 14f);
            bool projections = layout.Shows(PatchPanels.Projections);
            if (!projections || (unit.Methods?.Count ?? 0) == 0)
                TextRasterizer.TryDraw(sheet, label, projections ? PanelLabel(unit, 0) : LabelOf(unit), options.LabelColor, options.Background, size);
            else
                for (int i = 0; i < layout.ProjectionPanels; i++)
                {
                    // The last projection panel's label may run on over the patch panel's strip.
                    int x = label.X + layout.PanelX(PatchPanels.Projections, i);
                    int width = i == layout.ProjectionPanels - 1 ? label.X + label.Width - x : layout.PanelWidth + PatchGridLayout.PanelGap;
                    TextRasterizer.TryDraw(sheet, new GridRect(x, label.Y, width, label.Height), PanelLabel(unit, i), options.LabelColor, options.Background, size);
                }
        }
        var items = unit.Items ?? Array.Empty<UnitItem>();
        for (int rank = 0; rank < layout.CellsPerUnit; rank++)
        {
            UnitItem? item = rank < items.Count ? items[rank] : null;
            if (layout.Shows(PatchPanels.Projections))
            {
                for (int i = 0; i < layout.ProjectionPanels; i++)
                {
                    var cell = layout.Cell(u, rank, PatchPanels.Projections, i);
                    PixelOps.Fill(sheet, cell, options.CellBackground);
                    if (item is not null && i < item.AllProjections.Count && item.AllProjections[i] is FloatPlanes projection)
                    {
                        using var picture = DisplayNormalization.ToImage(projection, options.Normalization);
                        PixelOps.DrawFitted(sheet, picture, cell, PixelOps.Smooth);
                    }
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

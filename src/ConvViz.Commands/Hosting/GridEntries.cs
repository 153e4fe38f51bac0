using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using ConvViz.Engine.Grid;

namespace ConvViz.Commands.Hosting;

/// <summary>Projection records grouped into the grid's units (layer, unit; entries by rank). Used by the sheet and the report.</summary>
internal static class GridEntries
{
    /// <summary>Layers in the order they first appear, units in ascending order, entries by rank.</summary>
    public static List<UnitEntry> From(IEnumerable<Projection> projections)
    {
        var list = projections.ToList();
        var layerOrder = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var p in list) layerOrder.TryAdd(p.Layer, layerOrder.Count);
        return list
            .GroupBy(p => (p.Layer, p.Unit))
            .OrderBy(g => layerOrder[g.Key.Layer]).ThenBy(g => g.Key.Unit)
            .Select(g => new UnitEntry(g.Key.Layer, g.Key.Unit, g.OrderBy(p => p.Rank).ThenByDescending(p => p.Value).Select(Item).ToList())
            {
                Methods = g.OrderByDescending(p => p.Methods.Length).First().Methods,
            })
            .ToList();
    }

    /// <summary>
    /// Projections grouped by unit, with each unit's feature visualisations (New-FeatureVisualization)
    /// as its first cells: a column of the grid beside the unit's top-k. Units with only a
    /// visualisation get a row of their own.
    /// </summary>
    public static List<UnitEntry> From(IEnumerable<Projection> projections, IEnumerable<FeatureVisualization> visualizations)
    {
        var vis = visualizations.ToList();
        var units = From(projections);
        if (vis.Count == 0) return units;
        var byUnit = vis.GroupBy(v => (v.Layer, v.Unit)).ToDictionary(g => g.Key, g => g.Select(Item).ToList());
        var result = new List<UnitEntry>();
        foreach (var u in units)
            result.Add(byUnit.Remove((u.Layer, u.Unit), out var items) ? u with { Items = items.Concat(u.Items).ToList() } : u);
        foreach (var v in vis.Select(v => (v.Layer, v.Unit)).Distinct())
            if (byUnit.Remove(v, out var items)) result.Add(new UnitEntry(v.Layer, v.Unit, items));
        return result;
    }

    /// <summary>A visualisation as a grid cell: its image in the patch panel, no projection.</summary>
    public static UnitItem Item(FeatureVisualization v)
    {
        var caption = string.Create(CultureInfo.InvariantCulture, $"{(v.Negative ? "-" : "")}{v.Objective} {v.Value:G4}");
        return SheetFiles.Item((FloatPlanes?)null, RgbBytes(v), v.Width, v.Height, caption, null, v.Value, null) with { Synthetic = true };
    }

    /// <summary>Height x Width x 3 bytes of the image (its pixels scaled from [0, PixelMax]).</summary>
    public static byte[] RgbBytes(FeatureVisualization v)
    {
        int plane = v.Width * v.Height;
        if (v.Pixels.Length != 3 * plane)
            throw new ArgumentException($"Feature visualisation '{v}' has {v.Pixels.Length} pixel values; {v.Width}x{v.Height}x3 needs {3 * plane}.");
        var bytes = new byte[3 * plane];
        double k = 255.0 / (v.PixelMax > 0 ? v.PixelMax : 1);
        for (int i = 0; i < plane; i++)
            for (int c = 0; c < 3; c++)
                bytes[i * 3 + c] = (byte)Math.Clamp(Math.Round(v.Pixels[c * plane + i] * k), 0, 255);
        return bytes;
    }

    public static UnitItem Item(Projection p)
    {
        var recon = p.Reconstructions.Length > 0 ? p.Reconstructions : new[] { p.Reconstruction };
        var projections = recon.Select(r => p.Height > 0 && p.Width > 0 && r.Length > 0 ? FloatPlanes.Rgb(r, p.Height, p.Width) : null).ToArray();
        var position = p.Activation.Position.ToString();
        var caption = string.Create(CultureInfo.InvariantCulture, $"{System.IO.Path.GetFileName(p.ImagePath)} {p.Value:G4} {position}");
        var item = SheetFiles.Item(projections, p.Patch, p.PatchWidth, p.PatchHeight, caption, p.ImagePath, p.Value, position);
        // Records from before crops were kept carry only the activation's field.
        var patchBox = p.PatchBox.Width > 0 ? p.PatchBox : p.Activation.PatchBox;
        var fieldBox = p.FieldPatchBox.Width > 0 ? p.FieldPatchBox : p.Activation.PatchBox;
        return item with { PatchBox = patchBox.ToPixelBox(), FieldBox = fieldBox.ToPixelBox() };
    }

    public static void Dispose(IEnumerable<UnitEntry> units) => SheetFiles.Release(units);

    /// <summary>Fails early on an output format the writer does not know.</summary>
    public static void EnsureImageExtension(string path)
    {
        var ext = System.IO.Path.GetExtension(path).ToLowerInvariant();
        if (ext is not (".png" or ".jpg" or ".jpeg"))
            throw new ArgumentException($"Cannot write '{path}': the extension '{ext}' is not .png, .jpg or .jpeg.");
    }
}

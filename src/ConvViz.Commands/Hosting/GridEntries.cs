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

    public static UnitItem Item(Projection p)
    {
        var recon = p.Reconstructions.Length > 0 ? p.Reconstructions : new[] { p.Reconstruction };
        var projections = recon.Select(r => p.Height > 0 && p.Width > 0 && r.Length > 0 ? FloatPlanes.Rgb(r, p.Height, p.Width) : null).ToArray();
        var position = p.Activation.Position.ToString();
        var caption = string.Create(CultureInfo.InvariantCulture, $"{System.IO.Path.GetFileName(p.ImagePath)} {p.Value:G4} {position}");
        return SheetFiles.Item(projections, p.Patch, p.PatchWidth, p.PatchHeight, caption, p.ImagePath, p.Value, position);
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

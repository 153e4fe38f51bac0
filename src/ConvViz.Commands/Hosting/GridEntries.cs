using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using ConvViz.Engine.Grid;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace ConvViz.Commands.Hosting;

/// <summary>Projection records grouped into the grid's units (layer, unit; entries by rank). Used by the sheet and the report.</summary>
internal static class GridEntries
{
    public static List<UnitEntry> From(IEnumerable<Projection> projections)
        => projections
            .GroupBy(p => (p.Layer, p.Unit))
            .Select(g => new UnitEntry(g.Key.Layer, g.Key.Unit, g.OrderBy(p => p.Rank).ThenByDescending(p => p.Value).Select(Item).ToList()))
            .ToList();

    public static UnitItem Item(Projection p)
    {
        var projection = p.Height > 0 && p.Width > 0 ? FloatPlanes.Rgb(p.Reconstruction, p.Height, p.Width) : null;
        Image<Rgb24>? patch = p.PatchHeight > 0 && p.PatchWidth > 0 ? Image.LoadPixelData<Rgb24>(p.Patch, p.PatchWidth, p.PatchHeight) : null;
        var position = p.Activation.Position.ToString();
        var caption = string.Create(CultureInfo.InvariantCulture, $"{System.IO.Path.GetFileName(p.ImagePath)} {p.Value:G4} {position}");
        return new UnitItem(projection, patch, caption, p.ImagePath, p.Value, position);
    }

    public static void Dispose(IEnumerable<UnitEntry> units)
    {
        foreach (var u in units) foreach (var i in u.Items) i.Patch?.Dispose();
    }

    /// <summary>Fails early on an output format the writer does not know.</summary>
    public static void EnsureImageExtension(string path)
    {
        var ext = System.IO.Path.GetExtension(path).ToLowerInvariant();
        if (ext is not (".png" or ".jpg" or ".jpeg"))
            throw new ArgumentException($"Cannot write '{path}': the extension '{ext}' is not .png, .jpg or .jpeg.");
    }
}

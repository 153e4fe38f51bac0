using System.Collections.Generic;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace ConvViz.Engine.Grid;

/// <summary>
/// Render-and-save in one call, with signatures free of ImageSharp types: the cmdlets load in
/// another context than ImageSharp, so they must never name its types themselves.
/// </summary>
public static class SheetFiles
{
    public static void SavePatchGrid(IReadOnlyList<UnitEntry> units, PatchGridOptions options, string path)
    {
        using var sheet = PatchGridRenderer.Render(units, options);
        SheetWriter.Save(sheet, path);
    }

    public static void SaveFeatureMaps(FloatPlanes maps, FeatureMapOptions options, string path)
    {
        using var sheet = FeatureMapRenderer.Render(maps, options);
        SheetWriter.Save(sheet, path);
    }

    public static void SaveFilterGrid(float[] weights, int outChannels, int inChannels, int kernelHeight, int kernelWidth, FilterGridOptions options, string path)
    {
        using var sheet = FilterGridRenderer.Render(weights, outChannels, inChannels, kernelHeight, kernelWidth, options);
        SheetWriter.Save(sheet, path);
    }

    /// <summary>A grid item from interleaved RGB patch bytes (or none when the patch is empty).</summary>
    public static UnitItem Item(FloatPlanes? projection, byte[] patch, int patchWidth, int patchHeight,
        string? caption, string? imagePath, double? value, string? position)
    {
        Image<Rgb24>? image = patchWidth > 0 && patchHeight > 0 ? SixLabors.ImageSharp.Image.LoadPixelData<Rgb24>(patch, patchWidth, patchHeight) : null;
        return new UnitItem(projection, image, caption, imagePath, value, position);
    }

    /// <summary>A grid item with one projection per method.</summary>
    public static UnitItem Item(IReadOnlyList<FloatPlanes?> projections, byte[] patch, int patchWidth, int patchHeight,
        string? caption, string? imagePath, double? value, string? position)
        => Item(projections.Count > 0 ? projections[0] : null, patch, patchWidth, patchHeight, caption, imagePath, value, position) with { AllProjections = projections };

    /// <summary>Frees the patch images of grid entries.</summary>
    public static void Release(IEnumerable<UnitEntry> units)
    {
        foreach (var u in units) foreach (var i in u.Items) i.Patch?.Dispose();
    }
}

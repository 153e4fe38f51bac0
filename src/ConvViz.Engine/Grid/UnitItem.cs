using System.Collections.Generic;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace ConvViz.Engine.Grid;

/// <summary>
/// One of a unit's top-k entries: its projection into pixel space (3 x H x W, or null when
/// not projected), the matching image patch (or null), and text for hovers in the report.
/// Sheets draw only the pictures; <see cref="Caption"/>, <see cref="ImagePath"/>,
/// <see cref="Value"/> and <see cref="Position"/> become the report's tooltips.
/// </summary>
public sealed record UnitItem(
    FloatPlanes? Projection,
    Image<Rgb24>? Patch,
    string? Caption = null,
    string? ImagePath = null,
    double? Value = null,
    string? Position = null)
{
    /// <summary>One projection per method (the first is <see cref="Projection"/>).</summary>
    public IReadOnlyList<FloatPlanes?> AllProjections { get; init; } = new[] { Projection };

    /// <summary>The patch's box in the original image (what the report's detail view outlines).</summary>
    public Graph.PixelBox? PatchBox { get; init; }

    /// <summary>The unit's theoretical receptive field in the original image.</summary>
    public Graph.PixelBox? FieldBox { get; init; }

    /// <summary>An image optimised to drive the unit (a feature visualisation), not one of the dataset's
    /// top-k: shown beside them, never given a rank.</summary>
    public bool Synthetic { get; init; }

    /// <summary>The 1-based dataset rank of <paramref name="index"/> among <paramref name="items"/> (synthetic items
    /// are not counted), or 0 for a synthetic item.</summary>
    public static int RankOf(IReadOnlyList<UnitItem?> items, int index)
    {
        if (items[index] is { Synthetic: true }) return 0;
        int rank = 0;
        for (int i = 0; i <= index; i++) if (items[i] is not { Synthetic: true }) rank++;
        return rank;
    }
}

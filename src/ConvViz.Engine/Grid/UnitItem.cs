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
}

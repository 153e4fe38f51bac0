using SixLabors.ImageSharp.PixelFormats;

namespace ConvViz.Engine.Grid;

/// <summary>How a patch-grid sheet is drawn. Geometry follows from these and the fixed
/// gutters documented on <see cref="PatchGridLayout"/>.</summary>
public sealed record PatchGridOptions
{
    /// <summary>Unit blocks per sheet row.</summary>
    public int Columns { get; init; } = 4;

    /// <summary>Side of one square cell in pixels.</summary>
    public int CellSize { get; init; } = 64;

    public PatchPanels Layout { get; init; } = PatchPanels.Both;

    public NormalizationMode Normalization { get; init; } = NormalizationMode.Symmetric;

    /// <summary>Reserve a label strip above each unit ("layer  #unit"). The strip is reserved even
    /// where no font can be found, so the geometry never depends on the machine.</summary>
    public bool Labels { get; init; } = true;

    /// <summary>Cells per unit; null takes the largest item count among the units (at least 1).
    /// Items beyond it are not drawn; missing items leave empty cells.</summary>
    public int? CellsPerUnit { get; init; }

    /// <summary>Projection panels per unit, one per method, side by side (left of the patches);
    /// null takes the most methods any unit has (at least 1).</summary>
    public int? ProjectionPanels { get; init; }

    /// <summary>Sheet colour: margins, gutters, label strips.</summary>
    public Rgb24 Background { get; init; } = new(255, 255, 255);

    /// <summary>Cell colour: empty cells and the letterbox bars around non-square pictures.</summary>
    public Rgb24 CellBackground { get; init; } = new(32, 32, 32);

    public Rgb24 LabelColor { get; init; } = new(0, 0, 0);
}

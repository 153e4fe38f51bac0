using System;

namespace ConvViz.Engine.Projection;

/// <summary>Which box a projection and its patch are cut to.</summary>
public enum CropMode
{
    /// <summary>The unit's theoretical receptive field (every input pixel that can reach it).</summary>
    Field,
    /// <summary>The smallest box inside the field that holds <see cref="ProjectionCrop.Mass"/> of the projection's absolute mass.</summary>
    Effective,
}

/// <summary>
/// How projections are cropped. Effective crops hold at least <see cref="Mass"/> of the
/// projection's absolute mass (summed over channels) and are at least <see cref="MinSize"/>
/// model-input pixels on each side (never more than the field).
/// </summary>
public sealed record ProjectionCrop(CropMode Mode = CropMode.Field, double Mass = 0.95, int MinSize = 32)
{
    public static ProjectionCrop Field { get; } = new();

    public void Validate()
    {
        if (!Enum.IsDefined(Mode)) throw new ArgumentOutOfRangeException(nameof(Mode), Mode, "Unknown crop mode.");
        if (!(Mass > 0 && Mass <= 1)) throw new ArgumentOutOfRangeException(nameof(Mass), Mass, "The crop's share of the projection's mass must be in (0, 1].");
        if (MinSize < 1) throw new ArgumentOutOfRangeException(nameof(MinSize), MinSize, "The minimum crop size must be at least 1 pixel.");
    }
}

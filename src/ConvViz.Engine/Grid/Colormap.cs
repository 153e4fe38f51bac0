using System;
using SixLabors.ImageSharp.PixelFormats;

namespace ConvViz.Engine.Grid;

/// <summary>
/// A perceptual colour map as a 256-entry lookup table, built by linear interpolation
/// between 11 evenly spaced anchor colours (matplotlib's viridis / inferno sampled at
/// 0, 0.1, ..., 1). A table keeps it dependency-free and exactly reproducible.
/// </summary>
public sealed class Colormap
{
    private readonly Rgb24[] _table;

    public string Name { get; }

    private Colormap(string name, uint[] anchors)
    {
        Name = name;
        _table = new Rgb24[256];
        for (int i = 0; i < 256; i++)
        {
            double pos = i / 255.0 * (anchors.Length - 1);
            int k = Math.Min((int)pos, anchors.Length - 2);
            double f = pos - k;
            _table[i] = new Rgb24(Lerp(anchors[k] >> 16, anchors[k + 1] >> 16, f),
                                  Lerp(anchors[k] >> 8, anchors[k + 1] >> 8, f),
                                  Lerp(anchors[k], anchors[k + 1], f));
        }
    }

    public static Colormap Viridis { get; } = new("viridis", new uint[]
    {
        0x440154, 0x482475, 0x414487, 0x355F8D, 0x2A788E, 0x21918C, 0x22A884, 0x44BF70, 0x7AD151, 0xBDDF26, 0xFDE725,
    });

    public static Colormap Inferno { get; } = new("inferno", new uint[]
    {
        0x000004, 0x160B39, 0x420A68, 0x6A176E, 0x932667, 0xBC3754, 0xDD513A, 0xF37819, 0xFCA50A, 0xF6D746, 0xFCFFA4,
    });

    public static Colormap Gray { get; } = new("gray", new uint[] { 0x000000, 0xFFFFFF });

    /// <summary>Looks a map up by name (viridis, inferno, gray), case-insensitively.</summary>
    public static Colormap FromName(string name) => name?.ToLowerInvariant() switch
    {
        "viridis" => Viridis,
        "inferno" => Inferno,
        "gray" or "grey" => Gray,
        _ => throw new ArgumentException($"Unknown colormap '{name}'; use viridis, inferno or gray.", nameof(name)),
    };

    /// <summary>The colour of t in [0, 1] (clamped; NaN is 0).</summary>
    public Rgb24 Map(float t)
    {
        if (!(t > 0)) return _table[0];
        if (t >= 1) return _table[255];
        return _table[(int)MathF.Round(t * 255f)];
    }

    private static byte Lerp(uint a, uint b, double f) => (byte)Math.Round((a & 0xFF) + ((double)(b & 0xFF) - (a & 0xFF)) * f);
}

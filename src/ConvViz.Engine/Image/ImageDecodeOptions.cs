namespace ConvViz.Engine.Image;

/// <summary>Limits and choices for turning a file into RGB pixels.</summary>
public sealed record ImageDecodeOptions
{
    /// <summary>
    /// 178,956,970 = floor(2^31 / 12): the largest image whose float RGB copy (3 x 4 bytes a
    /// pixel) still fits a 2 GiB buffer. Checked against the header before any pixel is
    /// allocated, so a decompression bomb (a 30000x30000 PNG of a few KB) is refused cheaply.
    /// </summary>
    public const long DefaultMaxPixels = 178_956_970;

    /// <summary>Files are read whole (hashing and decoding share the bytes); bigger files are refused.</summary>
    public const long DefaultMaxFileBytes = 1L << 30;

    public long MaxPixels { get; init; } = DefaultMaxPixels;
    public long MaxFileBytes { get; init; } = DefaultMaxFileBytes;
    public AlphaBackground Background { get; init; } = AlphaBackground.Black;

    public static ImageDecodeOptions Default { get; } = new();
}

using System;
using System.IO;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace ConvViz.Engine.Grid;

/// <summary>Saves a sheet as PNG (.png) or JPEG (.jpg, .jpeg), chosen by extension, atomically.</summary>
public static class SheetWriter
{
    public static void Save(Image<Rgb24> sheet, string path, int jpegQuality = 92)
    {
        ArgumentNullException.ThrowIfNull(sheet);
        IImageEncoder encoder = EncoderFor(path, jpegQuality);
        AtomicFile.Write(path, stream => sheet.Save(stream, encoder));
    }

    /// <summary>The encoded bytes (PNG unless <paramref name="jpeg"/>), for embedding.</summary>
    public static byte[] Encode(Image<Rgb24> image, bool jpeg = false, int jpegQuality = 85)
    {
        ArgumentNullException.ThrowIfNull(image);
        using var memory = new MemoryStream();
        image.Save(memory, jpeg ? new JpegEncoder { Quality = jpegQuality } : Png());
        return memory.ToArray();
    }

    public static IImageEncoder EncoderFor(string path, int jpegQuality = 92)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (jpegQuality is < 1 or > 100) throw new ArgumentOutOfRangeException(nameof(jpegQuality), jpegQuality, "JPEG quality must be in 1..100.");
        return Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".png" => Png(),
            ".jpg" or ".jpeg" => new JpegEncoder { Quality = jpegQuality },
            var ext => throw new ArgumentException($"Cannot write '{path}': the extension '{ext}' is neither .png nor .jpg/.jpeg.", nameof(path)),
        };
    }

    // RGB without alpha, default compression: sheets stay exact and reasonably small.
    private static PngEncoder Png() => new() { ColorType = PngColorType.Rgb, BitDepth = PngBitDepth.Bit8 };
}

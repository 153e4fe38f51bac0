using System;
using System.IO;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Memory;
using ImageSharpImage = SixLabors.ImageSharp.Image;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace ConvViz.Engine.Image;

/// <summary>
/// Turns the bytes of any format ImageSharp 2.1 reads (PNG, JPEG, GIF, BMP, TIFF, TGA, PBM,
/// WebP) into an upright opaque 8-bit RGB image: EXIF orientation applied, the first frame of
/// an animation, grayscale / CMYK / 16-bit / palette converted to RGB, transparency
/// composited onto <see cref="ImageDecodeOptions.Background"/>. The header is identified
/// first so oversized images are refused before their pixels are allocated.
/// </summary>
public static class ImageDecoder
{
    public static SixLabors.ImageSharp.Image<Rgb24> Decode(string path, ImageDecodeOptions? options = null)
    {
        options ??= ImageDecodeOptions.Default;
        return Decode(ImageSource.Read(path, options), options);
    }

    public static SixLabors.ImageSharp.Image<Rgb24> Decode(ImageSource source, ImageDecodeOptions? options = null)
        => DecodeFor(source, options, spec: null).Image;

    /// <summary>
    /// Decodes for fitting to <paramref name="spec"/>: a JPEG much larger than the model input is
    /// decoded DCT-reduced (see <see cref="JpegDecoder"/>); every other format, and every image
    /// when <paramref name="spec"/> is null, at full size. The result says the original upright
    /// size and the reduction, which <see cref="ImageFitter"/> needs to keep the geometry exact.
    /// Memory: the decoded pixels are bounded by MaxPixels (checked against the header before any
    /// allocation), divided by the reduction squared for JPEG.
    /// </summary>
    public static DecodedImage DecodeFor(ImageSource source, ImageDecodeOptions? options, Models.InputSpec? spec)
    {
        options ??= ImageDecodeOptions.Default;
        var path = source.Path;
        var bytes = source.Bytes;
        if (bytes.Length == 0) throw new ImageReadException(path, ImageReadReason.Empty, "");

        var config = Configuration.Default;
        IImageFormat? format = ImageSharpImage.DetectFormat(config, bytes);
        if (format is null)
        {
            var known = FileSignatures.UnsupportedFormatName(bytes);
            if (known is not null) throw new ImageReadException(path, ImageReadReason.UnsupportedFormat, known);
            throw new ImageReadException(path, ImageReadReason.NotAnImage, FileSignatures.Describe(bytes));
        }
        if (format.Name.Equals("JPEG", StringComparison.OrdinalIgnoreCase)) return DecodeJpeg(path, bytes, options, spec);

        IImageInfo? info;
        try
        {
            using var header = new MemoryStream(bytes, writable: false);
            info = ImageSharpImage.Identify(config, header, out _);
        }
        catch (Exception e) when (IsDecoderFailure(e))
        {
            throw Classify(path, format, bytes, e);
        }
        if (info is null) throw new ImageReadException(path, ImageReadReason.Corrupt, $"{format.Name} header cannot be read");
        CheckSize(path, format.Name, info.Width, info.Height, options);
        // The container says the data is cut short: refuse before decoding (ImageSharp fills the rest with zeros for some formats).
        if (FileSignatures.LooksTruncated(format, bytes))
            throw new ImageReadException(path, ImageReadReason.Truncated, $"{format.Name} data ends before its end marker");

        SixLabors.ImageSharp.Image<Rgba32> decoded;
        try
        {
            using var stream = new MemoryStream(bytes, writable: false);
            decoded = ImageSharpImage.Load<Rgba32>(config, stream);
        }
        catch (Exception e) when (IsDecoderFailure(e))
        {
            throw Classify(path, format, bytes, e);
        }

        try
        {
            // First frame only: animated GIF / WebP / multi-page TIFF.
            if (decoded.Frames.Count > 1)
            {
                var first = decoded.Frames.CloneFrame(0);
                decoded.Dispose();
                decoded = first;
            }
            decoded.Mutate(x => x.AutoOrient());
            var rgb = Flatten(decoded, options.Background);
            return new DecodedImage(rgb, rgb.Width, rgb.Height, 1);
        }
        finally
        {
            decoded.Dispose();
        }
    }

    private static DecodedImage DecodeJpeg(string path, byte[] bytes, ImageDecodeOptions options, Models.InputSpec? spec)
    {
        if (FileSignatures.LooksTruncated(JpegFormat.Instance, bytes))
            throw new ImageReadException(path, ImageReadReason.Truncated, "JPEG data ends before its end marker");
        var (width, height, orientation) = JpegDecoder.Identify(path, bytes);
        CheckSize(path, "JPEG", width, height, options);
        bool transposed = orientation >= 5 && orientation <= 8;
        int uprightW = transposed ? height : width, uprightH = transposed ? width : height;
        int reduction = 1;
        if (spec is not null)
        {
            var plan = ImageFitter.Plan(uprightW, uprightH, spec);
            reduction = JpegDecoder.ChooseReduction(width, height, plan.ResizedWidth, plan.ResizedHeight, transposed);
        }
        var image = JpegDecoder.Decode(path, bytes, reduction);
        return new DecodedImage(image, uprightW, uprightH, reduction);
    }

    private static void CheckSize(string path, string format, int width, int height, ImageDecodeOptions options)
    {
        long pixels = (long)width * height;
        if (width <= 0 || height <= 0)
            throw new ImageReadException(path, ImageReadReason.Corrupt, $"{format} header declares {width}x{height}");
        if (pixels > options.MaxPixels)
            throw new ImageReadException(path, ImageReadReason.TooLarge, $"{format} {width}x{height} = {pixels:N0} pixels, limit {options.MaxPixels:N0}");
    }

    /// <summary>Composites onto the background; ImageSharp's own Rgba32->Rgb24 conversion would just drop alpha.</summary>
    private static SixLabors.ImageSharp.Image<Rgb24> Flatten(SixLabors.ImageSharp.Image<Rgba32> image, AlphaBackground background)
    {
        var result = new SixLabors.ImageSharp.Image<Rgb24>(image.Width, image.Height);
        int bg = background == AlphaBackground.White ? 255 : 0;
        image.ProcessPixelRows(result, (src, dst) =>
        {
            for (int y = 0; y < src.Height; y++)
            {
                var s = src.GetRowSpan(y);
                var d = dst.GetRowSpan(y);
                for (int x = 0; x < s.Length; x++)
                {
                    var p = s[x];
                    if (p.A == 255) { d[x] = new Rgb24(p.R, p.G, p.B); continue; }
                    int a = p.A, ia = 255 - a;
                    // Rounded integer blend: (c*a + bg*(255-a)) / 255.
                    d[x] = new Rgb24(
                        (byte)((p.R * a + bg * ia + 127) / 255),
                        (byte)((p.G * a + bg * ia + 127) / 255),
                        (byte)((p.B * a + bg * ia + 127) / 255));
                }
            }
        });
        return result;
    }

    private static bool IsDecoderFailure(Exception e)
        => e is ImageFormatException or NotSupportedException or InvalidDataException or EndOfStreamException
            or IndexOutOfRangeException or ArgumentException or InvalidOperationException or OverflowException
            or InvalidMemoryOperationException;

    private static ImageReadException Classify(string path, IImageFormat format, byte[] bytes, Exception e)
    {
        if (e is InvalidMemoryOperationException)
            return new ImageReadException(path, ImageReadReason.TooLarge, $"{format.Name}: {e.Message}", e);
        if (e is NotSupportedException || e is UnknownImageFormatException)
            return new ImageReadException(path, ImageReadReason.UnsupportedFormat, $"{format.Name}: {e.Message}", e);
        if (e is EndOfStreamException || FileSignatures.LooksTruncated(format, bytes))
            return new ImageReadException(path, ImageReadReason.Truncated, $"{format.Name}: {e.Message}", e);
        return new ImageReadException(path, ImageReadReason.Corrupt, $"{format.Name}: {e.Message}", e);
    }
}

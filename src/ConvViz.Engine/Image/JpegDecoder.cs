using System;
using System.Buffers;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Advanced;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;
using SkiaSharp;

namespace ConvViz.Engine.Image;

/// <summary>
/// Every JPEG is decoded by libjpeg-turbo (SkiaSharp's SKCodec, shipped with ScottPlot), never
/// by ImageSharp: one decoder for the format, whatever the file's size. When a photo is much
/// larger than the model input, libjpeg-turbo's DCT scaling decodes it straight to 1/2, 1/4
/// or 1/8 of its size (the largest reduction that still leaves at least the resized size, so
/// the resampler only ever shrinks). The pixels then differ from a full decode followed by the
/// same resize by a few levels (measured in DEVELOPERS.md); the geometry does not change: the
/// resampler maps through the exact reduction (see <see cref="ImageResampler"/>).
/// No colour management is applied (like ImageSharp 2.1 and Pillow); CMYK is converted by
/// libjpeg-turbo/Skia, EXIF orientation is applied afterwards with ImageSharp's AutoOrient.
/// </summary>
internal static class JpegDecoder
{
    /// <summary>Stored (not upright) pixel size from the header, and the EXIF orientation (1..8).</summary>
    public static (int Width, int Height, int Orientation) Identify(string path, byte[] bytes)
    {
        using var codec = Open(path, bytes);
        return (codec.Info.Width, codec.Info.Height, (int)codec.EncodedOrigin);
    }

    /// <summary>
    /// Decodes at 1/<paramref name="reduction"/> (1, 2, 4 or 8) of the stored size, upright.
    /// Throws <see cref="ImageReadException"/> (Truncated, Corrupt) for damaged data.
    /// </summary>
    public static Image<Rgb24> Decode(string path, byte[] bytes, int reduction)
    {
        using var codec = Open(path, bytes);
        var info = codec.Info;
        int w = info.Width, h = info.Height;
        if (reduction > 1)
        {
            var scaled = codec.GetScaledDimensions(1f / reduction);
            w = scaled.Width; h = scaled.Height;
            if (w != CeilDiv(info.Width, reduction) || h != CeilDiv(info.Height, reduction))
                throw new InvalidOperationException($"libjpeg-turbo offers {w}x{h} for 1/{reduction} of {info.Width}x{info.Height}; expected the ceiling.");
        }
        var target = new SKImageInfo(w, h, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        // One plain array (ImageSharp splits large images into several buffers); RGBA rows then become RGB.
        // Pooled up to 4 MB (a DCT-reduced photo); a full-size original is a plain array the GC takes back.
        int bytes4 = checked(w * h * 4);
        bool pooled = bytes4 <= 4 << 20;
        var rgba = pooled ? ArrayPool<byte>.Shared.Rent(bytes4) : GC.AllocateUninitializedArray<byte>(bytes4);
        try
        {
            SKCodecResult result;
            unsafe
            {
                fixed (byte* p = rgba) result = codec.GetPixels(target, (IntPtr)p, w * 4, new SKCodecOptions());
            }
            if (result == SKCodecResult.IncompleteInput)
                throw new ImageReadException(path, ImageReadReason.Truncated, "JPEG data ends before the last scan line");
            if (result != SKCodecResult.Success)
                throw new ImageReadException(path, ImageReadReason.Corrupt, $"JPEG: libjpeg-turbo reports {result}");
            var rgb = new Image<Rgb24>(w, h);
            try
            {
                rgb.ProcessPixelRows(rows =>
                {
                    for (int y = 0; y < h; y++)
                    {
                        var dst = rows.GetRowSpan(y);
                        var src = rgba.AsSpan(y * w * 4, w * 4);
                        for (int x = 0; x < w; x++) dst[x] = new Rgb24(src[4 * x], src[4 * x + 1], src[4 * x + 2]);
                    }
                });
                int orientation = (int)codec.EncodedOrigin;
                if (orientation > 1 && orientation <= 8)
                {
                    // ImageSharp's own AutoOrient: the same upright image the other formats get.
                    rgb.Metadata.ExifProfile = new ExifProfile();
                    rgb.Metadata.ExifProfile.SetValue(ExifTag.Orientation, (ushort)orientation);
                    rgb.Mutate(x => x.AutoOrient());
                }
                return rgb;
            }
            catch
            {
                rgb.Dispose();
                throw;
            }
        }
        finally
        {
            if (pooled) ArrayPool<byte>.Shared.Return(rgba);
        }
    }

    /// <summary>
    /// The largest DCT reduction (8, 4, 2 or 1) whose decoded size, ceil(stored / r) on both
    /// axes, is still at least the resized size: shrinking by the resampler never becomes enlarging.
    /// </summary>
    public static int ChooseReduction(int storedWidth, int storedHeight, int uprightResizedWidth, int uprightResizedHeight, bool transposed)
    {
        int rw = transposed ? uprightResizedHeight : uprightResizedWidth;
        int rh = transposed ? uprightResizedWidth : uprightResizedHeight;
        foreach (int r in new[] { 8, 4, 2 })
            if (storedWidth / r >= rw && storedHeight / r >= rh) return r;
        return 1;
    }

    private static SKCodec Open(string path, byte[] bytes)
    {
        // SKData.CreateCopy: the codec reads from native memory it owns, independent of the GC.
        using var data = SKData.CreateCopy(bytes);
        var codec = SKCodec.Create(data);
        if (codec is null) throw new ImageReadException(path, ImageReadReason.Corrupt, "JPEG header cannot be read by libjpeg-turbo");
        if (codec.Info.Width <= 0 || codec.Info.Height <= 0)
        {
            codec.Dispose();
            throw new ImageReadException(path, ImageReadReason.Corrupt, "JPEG header declares no pixels");
        }
        return codec;
    }

    private static int CeilDiv(int a, int b) => (a + b - 1) / b;
}

using System;
using System.Numerics;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Advanced;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace ConvViz.Engine.Analysis;

/// <summary>
/// Translate, scale and rotate an image with ImageSharp, keeping its size. The area the
/// transformed image no longer covers is painted with a fill colour (anti-aliased edges are
/// blended into it). Translation moves by whole pixels (DrawImage, no resampling, so it is
/// exact); scale and rotation resample bicubically about the image centre. An identity amount
/// (shift 0, factor 1, a multiple of 360 degrees) returns an exact copy.
/// </summary>
public static class ImageTransforms
{
    /// <param name="pixelsX">Horizontal shift in this image's pixels (translate only).</param>
    /// <param name="pixelsY">Vertical shift in this image's pixels (translate only).</param>
    public static Image<Rgb24> Translate(Image<Rgb24> image, int pixelsX, int pixelsY, Rgb24 fill)
    {
        ArgumentNullException.ThrowIfNull(image);
        var result = new Image<Rgb24>(image.Width, image.Height, fill);
        // Shifted fully outside: nothing of the image is left, only the fill.
        if (Math.Abs((long)pixelsX) >= image.Width || Math.Abs((long)pixelsY) >= image.Height) return result;
        result.Mutate(x => x.DrawImage(image, new Point(pixelsX, pixelsY), 1f));
        return result;
    }

    public static Image<Rgb24> Scale(Image<Rgb24> image, double factor, Rgb24 fill)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (!(factor > 0) || double.IsInfinity(factor)) throw new ArgumentOutOfRangeException(nameof(factor), factor, "A scale factor must be positive and finite.");
        if (factor == 1) return image.Clone();
        return Affine(image, Matrix3x2.CreateScale((float)factor, Centre(image)), fill);
    }

    public static Image<Rgb24> Rotate(Image<Rgb24> image, double degrees, Rgb24 fill)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (!double.IsFinite(degrees)) throw new ArgumentOutOfRangeException(nameof(degrees), degrees, "An angle must be finite.");
        if (degrees % 360 == 0) return image.Clone();
        return Affine(image, Matrix3x2.CreateRotation((float)(degrees * Math.PI / 180), Centre(image)), fill);
    }

    private static Vector2 Centre(Image<Rgb24> image) => new(image.Width / 2f, image.Height / 2f);

    /// <summary>Transforms with alpha so uncovered pixels come out transparent, then composites over the fill.</summary>
    private static Image<Rgb24> Affine(Image<Rgb24> image, Matrix3x2 matrix, Rgb24 fill)
    {
        using var rgba = image.CloneAs<Rgba32>();
        rgba.Mutate(x => x.Transform(new Rectangle(0, 0, image.Width, image.Height), matrix, new Size(image.Width, image.Height), KnownResamplers.Bicubic));
        var result = new Image<Rgb24>(image.Width, image.Height);
        for (int y = 0; y < image.Height; y++)
        {
            var src = rgba.DangerousGetPixelRowMemory(y).Span;
            var dst = result.DangerousGetPixelRowMemory(y).Span;
            for (int x = 0; x < src.Length; x++)
            {
                var p = src[x];
                int a = p.A, ia = 255 - a;
                dst[x] = new Rgb24(
                    (byte)((p.R * a + fill.R * ia + 127) / 255),
                    (byte)((p.G * a + fill.G * ia + 127) / 255),
                    (byte)((p.B * a + fill.B * ia + 127) / 255));
            }
        }
        return result;
    }

    /// <summary>The fill colour in 8-bit RGB: the image's rounded mean colour, mid grey (128) or black.</summary>
    public static Rgb24 FillOf(Image<Rgb24> image, FillMode mode)
    {
        ArgumentNullException.ThrowIfNull(image);
        switch (mode)
        {
            case FillMode.Zero: return new Rgb24(0, 0, 0);
            case FillMode.Gray: return new Rgb24(128, 128, 128);
            case FillMode.Mean:
                long r = 0, g = 0, b = 0;
                for (int y = 0; y < image.Height; y++)
                    foreach (var p in image.DangerousGetPixelRowMemory(y).Span) { r += p.R; g += p.G; b += p.B; }
                long n = (long)image.Width * image.Height;
                return new Rgb24((byte)((r + n / 2) / n), (byte)((g + n / 2) / n), (byte)((b + n / 2) / n));
            default: throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown fill mode.");
        }
    }
}

using System;
using ConvViz.Engine.Models;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Advanced;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace ConvViz.Engine.Image;

/// <summary>
/// Fits an upright RGB photo to a model's <see cref="InputSpec"/>.
/// Stretch resizes to exactly Width x Height. ShorterSideThenCenterCrop follows torchvision's
/// eval transform: the shorter side becomes ResizeTo (the longer one int(long * ResizeTo /
/// short)), then the centre Width x Height is cut at round-half-even((resized - crop) / 2).
/// When ResizeTo is smaller than the crop, the shorter side goes to the crop size instead
/// (torchvision would pad with black; ConvViz never feeds padding the photo does not have).
/// Resampling is bilinear with antialiasing when shrinking (Pillow's and ImageSharp's triangle
/// filter), computed for the crop window only (<see cref="ImageResampler"/>).
/// Images smaller than the input, down to 1x1, are upscaled by the same rule.
/// </summary>
public static class ImageFitter
{
    public static ImageGeometry Plan(int width, int height, InputSpec spec)
    {
        if (width <= 0 || height <= 0) throw new ArgumentException($"Image size {width}x{height} is not positive.");
        if (spec.Resize == Models.ResizeMode.Stretch)
            return new ImageGeometry(width, height, spec.Width, spec.Height, 0, 0, spec.Width, spec.Height);

        long shortTarget = Math.Max(spec.ResizeTo, Math.Max(spec.Width, spec.Height));
        int rw, rh;
        if (width <= height)
        {
            rw = (int)shortTarget;
            rh = (int)(shortTarget * height / width);
        }
        else
        {
            rh = (int)shortTarget;
            rw = (int)(shortTarget * width / height);
        }
        int left = (int)Math.Round((rw - spec.Width) / 2.0, MidpointRounding.ToEven);
        int top = (int)Math.Round((rh - spec.Height) / 2.0, MidpointRounding.ToEven);
        return new ImageGeometry(width, height, rw, rh, left, top, spec.Width, spec.Height);
    }

    public static FittedImage Fit(SixLabors.ImageSharp.Image<Rgb24> image, InputSpec spec)
    {
        var pixels = new float[3L * spec.Width * spec.Height];
        var geometry = FitInto(image, spec, pixels);
        return new FittedImage(pixels, geometry);
    }

    /// <summary>Writes 3 x H x W floats into <paramref name="destination"/> (a slice of a batch buffer).</summary>
    public static ImageGeometry FitInto(SixLabors.ImageSharp.Image<Rgb24> image, InputSpec spec, Span<float> destination)
        => FitInto(new DecodedImage(image, image.Width, image.Height, 1), spec, destination);

    /// <summary>
    /// Fits decoded pixels that may be DCT-reduced: the geometry is planned on the original
    /// upright size, and only the crop window is computed (see <see cref="ImageResampler"/>).
    /// </summary>
    public static ImageGeometry FitInto(DecodedImage decoded, InputSpec spec, Span<float> destination)
    {
        long plane = (long)spec.Width * spec.Height;
        if (destination.Length != 3 * plane)
            throw new ArgumentException($"Destination holds {destination.Length} floats; 3x{spec.Height}x{spec.Width} needs {3 * plane}.");
        var g = Plan(decoded.OriginalWidth, decoded.OriginalHeight, spec);
        ImageResampler.FitInto(decoded.Image, g, decoded.Reduction, spec.PixelMax / 255f, destination);
        return g;
    }

    /// <summary>
    /// The one way a file becomes model input everywhere (scan, projections, analyses, references):
    /// decode for this input size (DCT-reduced JPEG when much larger) and fit.
    /// </summary>
    public static ImageGeometry LoadInto(ImageSource source, InputSpec spec, ImageDecodeOptions? options, Span<float> destination)
    {
        using var decoded = ImageDecoder.DecodeFor(source, options, spec);
        return FitInto(decoded, spec, destination);
    }

    public static FittedImage Load(ImageSource source, InputSpec spec, ImageDecodeOptions? options = null)
    {
        var pixels = new float[3L * spec.Width * spec.Height];
        var geometry = LoadInto(source, spec, options, pixels);
        return new FittedImage(pixels, geometry);
    }

    public static FittedImage Load(string path, InputSpec spec, ImageDecodeOptions? options = null)
        => Load(ImageSource.Read(path, options), spec, options);
}

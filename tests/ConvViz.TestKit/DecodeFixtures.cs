using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ConvViz.Engine.Image;
using ConvViz.Engine.Models;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;

namespace ConvViz.TestKit;

/// <summary>Files and comparisons for tests/Decoding.Tests.ps1 (issue 14 item 2, issue 15).</summary>
public static class DecodeFixtures
{
    /// <summary>The engine's model input for a file (torchvision's 256 -> 224 fit), as 0..255 floats in HWC order.</summary>
    public static float[] FittedHwc(string path, int width, int height, int resizeTo)
    {
        var spec = new InputSpec(width, height, ResizeMode.ShorterSideThenCenterCrop, resizeTo, 255f);
        var f = ImageFitter.Load(path, spec);
        int plane = width * height;
        var hwc = new float[3 * plane];
        for (int i = 0; i < plane; i++)
            for (int c = 0; c < 3; c++) hwc[3 * i + c] = f.Pixels[c * plane + i];
        return hwc;
    }

    /// <summary>The geometry the engine plans and records for a file.</summary>
    public static string Geometry(string path, int width, int height, int resizeTo)
    {
        var g = ImageFitter.Load(path, new InputSpec(width, height, ResizeMode.ShorterSideThenCenterCrop, resizeTo, 255f)).Geometry;
        return $"{g.OriginalWidth},{g.OriginalHeight},{g.ResizedWidth},{g.ResizedHeight},{g.CropLeft},{g.CropTop},{g.InputWidth},{g.InputHeight}";
    }

    /// <summary>The DCT reduction the engine decodes a file at for that input (1 = full size).</summary>
    public static int Reduction(string path, int width, int height, int resizeTo)
    {
        using var d = ImageDecoder.DecodeFor(ImageSource.Read(path), null, new InputSpec(width, height, ResizeMode.ShorterSideThenCenterCrop, resizeTo, 255f));
        return d.Reduction;
    }

    /// <summary>Mean, 99th percentile and maximum of |a - b| over all values (levels of 255).</summary>
    public static double[] Difference(float[] a, byte[] b)
    {
        if (a.Length != b.Length) throw new ArgumentException($"{a.Length} values against {b.Length}.");
        var d = new double[a.Length];
        for (int i = 0; i < a.Length; i++) d[i] = Math.Abs(a[i] - b[i]);
        Array.Sort(d);
        return new[] { d.Average(), d[(int)(0.99 * (d.Length - 1))], d[^1] };
    }

    /// <summary>Same, between two float images.</summary>
    public static double[] Difference(float[] a, float[] b)
    {
        var d = a.Zip(b, (x, y) => (double)Math.Abs(x - y)).OrderBy(x => x).ToArray();
        return new[] { d.Average(), d[(int)(0.99 * (d.Length - 1))], d[^1] };
    }

    /// <summary>
    /// A width x height JPEG of smooth colour with a white square (value 255 on a dark field)
    /// at the given original box, EXIF orientation 1. For patch-box checks under DCT reduction.
    /// </summary>
    public static string SquareJpeg(string path, int width, int height, int top, int left, int size)
    {
        using var img = new Image<Rgb24>(width, height);
        img.ProcessPixelRows(acc =>
        {
            for (int y = 0; y < height; y++)
            {
                var row = acc.GetRowSpan(y);
                for (int x = 0; x < width; x++)
                {
                    bool inside = y >= top && y < top + size && x >= left && x < left + size;
                    row[x] = inside ? new Rgb24(255, 255, 255) : new Rgb24((byte)(20 + 30 * x / width), (byte)(20 + 30 * y / height), 30);
                }
            }
        });
        img.SaveAsJpeg(path, new JpegEncoder { Quality = 95 });
        return path;
    }

    /// <summary>
    /// The bounding box (top, left, bottom, right; exclusive ends) of model-input pixels whose
    /// mean over channels is above <paramref name="threshold"/> (0..255).
    /// </summary>
    public static int[] BrightBox(float[] hwc, int width, int height, float threshold)
    {
        int top = int.MaxValue, left = int.MaxValue, bottom = -1, right = -1;
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                int i = 3 * (y * width + x);
                if ((hwc[i] + hwc[i + 1] + hwc[i + 2]) / 3 <= threshold) continue;
                top = Math.Min(top, y); left = Math.Min(left, x); bottom = Math.Max(bottom, y + 1); right = Math.Max(right, x + 1);
            }
        return new[] { top, left, bottom, right };
    }

    /// <summary>The input box ImageGeometry.ToInput gives for an original box (top, left, bottom, right).</summary>
    public static int[] ToInput(string path, int width, int height, int resizeTo, int top, int left, int bottom, int right)
    {
        var g = ImageFitter.Load(path, new InputSpec(width, height, ResizeMode.ShorterSideThenCenterCrop, resizeTo, 255f)).Geometry;
        var b = g.ToInput(new ConvViz.Engine.Graph.PixelBox(top, left, bottom, right));
        return new[] { (int)b.Top, (int)b.Left, (int)b.Bottom, (int)b.Right };
    }

    /// <summary>
    /// The same 64 x 48 gradient as GIF, WebP (lossless), TIFF and BMP, each whole and cut to
    /// 60% of its bytes: name -> path; truncated ones are named "truncated-FORMAT".
    /// </summary>
    public static Dictionary<string, string> Truncated(string dir)
    {
        Directory.CreateDirectory(dir);
        using var rgb = CorpusFactory.Gradient(64, 48);
        var made = new Dictionary<string, string>();
        void Both(string name, string ext, Action<Stream> write)
        {
            var ms = new MemoryStream();
            write(ms);
            var bytes = ms.ToArray();
            var whole = Path.Combine(dir, $"{name}.{ext}");
            File.WriteAllBytes(whole, bytes);
            made[name] = whole;
            var cut = Path.Combine(dir, $"truncated-{name}.{ext}");
            File.WriteAllBytes(cut, bytes[..(bytes.Length * 6 / 10)]);
            made["truncated-" + name] = cut;
        }
        Both("gif", "gif", s => rgb.SaveAsGif(s));
        Both("webp", "webp", s => rgb.SaveAsWebp(s, new SixLabors.ImageSharp.Formats.Webp.WebpEncoder { FileFormat = SixLabors.ImageSharp.Formats.Webp.WebpFileFormatType.Lossless }));
        Both("tiff", "tiff", s => rgb.SaveAsTiff(s));
        Both("bmp", "bmp", s => rgb.SaveAsBmp(s));
        return made;
    }

    /// <summary>A 1 x 20000 RGB PNG of a few hundred bytes (a strip: resized whole it would be 256 x 5,120,000).</summary>
    public static string Strip(string path, int width, int height)
    {
        using var img = new Image<Rgb24>(width, height, new Rgb24(90, 120, 200));
        img.SaveAsPng(path);
        return path;
    }
}

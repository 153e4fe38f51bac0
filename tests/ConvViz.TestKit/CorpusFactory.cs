using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.PixelFormats;

namespace ConvViz.TestKit;

/// <summary>
/// Writes test images: seeded noise, planted patterns at known places, tricky but valid
/// encodings, and hostile files with the reason the engine must give for each.
/// </summary>
public static class CorpusFactory
{
    /// <summary><paramref name="count"/> seeded random-noise images of random size (16..96 px a side) as PNG/JPEG/BMP.</summary>
    public static string[] Noise(string dir, int count, int seed, int minSize = 16, int maxSize = 96)
    {
        Directory.CreateDirectory(dir);
        var rng = new Random(seed);
        var paths = new string[count];
        for (int i = 0; i < count; i++)
        {
            int w = rng.Next(minSize, maxSize + 1), h = rng.Next(minSize, maxSize + 1);
            using var img = new Image<Rgb24>(w, h);
            // Smooth-ish noise: random blocks, so conv units see structure, not just grain.
            int block = rng.Next(1, 8);
            var colors = new Rgb24[(w / block + 1) * (h / block + 1)];
            for (int c = 0; c < colors.Length; c++) colors[c] = new Rgb24((byte)rng.Next(256), (byte)rng.Next(256), (byte)rng.Next(256));
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++)
                    img[x, y] = colors[(y / block) * (w / block + 1) + x / block];
            var ext = (i % 3) switch { 0 => ".png", 1 => ".jpg", _ => ".bmp" };
            paths[i] = Path.Combine(dir, $"noise_{i:D5}{ext}");
            img.Save(paths[i]);
        }
        return paths;
    }

    /// <summary>
    /// A size x size PNG of flat gray <paramref name="background"/> (0..255) with a 5x5 plus
    /// sign of <paramref name="intensity"/> centred at (<paramref name="y"/>, <paramref name="x"/>),
    /// clipped at the border. <see cref="TinyModels.PlusDetector"/> unit 0 peaks there.
    /// </summary>
    public static string PlantPattern(string path, int size, int y, int x, byte intensity, byte background = 128)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        using var img = new Image<Rgb24>(size, size, new Rgb24(background, background, background));
        for (int d = -2; d <= 2; d++)
        {
            Set(img, y + d, x, intensity);
            Set(img, y, x + d, intensity);
        }
        img.SaveAsPng(path);
        return path;
    }

    private static void Set(Image<Rgb24> img, int y, int x, byte v)
    {
        if (y >= 0 && y < img.Height && x >= 0 && x < img.Width) img[x, y] = new Rgb24(v, v, v);
    }

    /// <summary>Valid but unusual files, by name: the engine must decode each to RGB.</summary>
    public static Dictionary<string, string> Variants(string dir)
    {
        Directory.CreateDirectory(dir);
        var made = new Dictionary<string, string>();
        using var rgb = Gradient(40, 24);

        made["one-pixel"] = Save(dir, "one_pixel.png", i => { using var one = new Image<Rgb24>(1, 1, new Rgb24(200, 10, 10)); one.SaveAsPng(i); });
        made["grayscale"] = Save(dir, "gray.png", p => { using var g = rgb.CloneAs<L8>(); g.SaveAsPng(p); });
        made["grayscale-jpeg"] = Save(dir, "gray.jpg", p => rgb.SaveAsJpeg(p, new JpegEncoder { ColorType = JpegColorType.Luminance }));
        made["16-bit"] = Save(dir, "rgb48.png", p => { using var g = rgb.CloneAs<Rgb48>(); g.SaveAsPng(p, new PngEncoder { BitDepth = PngBitDepth.Bit16, ColorType = PngColorType.Rgb }); });
        made["alpha"] = Save(dir, "alpha.png", p =>
        {
            using var a = new Image<Rgba32>(20, 20, new Rgba32(255, 0, 0, 0));
            for (int y = 0; y < 20; y++) for (int x = 0; x < 10; x++) a[x, y] = new Rgba32(0, 255, 0, 255);
            a.SaveAsPng(p, new PngEncoder { ColorType = PngColorType.RgbWithAlpha });
        });
        made["palette"] = Save(dir, "palette.png", p => rgb.SaveAsPng(p, new PngEncoder { ColorType = PngColorType.Palette }));
        made["bmp"] = Save(dir, "image.bmp", p => rgb.SaveAsBmp(p));
        made["tiff"] = Save(dir, "image.tiff", p => rgb.SaveAsTiff(p));
        made["tga"] = Save(dir, "image.tga", p => rgb.SaveAsTga(p));
        made["webp"] = Save(dir, "image.webp", p => rgb.SaveAsWebp(p));
        made["animated-gif"] = Save(dir, "animated.gif", p =>
        {
            using var gif = new Image<Rgba32>(16, 16, new Rgba32(255, 0, 0, 255));
            using var second = new Image<Rgba32>(16, 16, new Rgba32(0, 0, 255, 255));
            gif.Frames.AddFrame(second.Frames.RootFrame);
            gif.SaveAsGif(p, new GifEncoder());
        });
        made["exif-rotated"] = Save(dir, "exif_rot90.jpg", p =>
        {
            using var r = Gradient(40, 20);
            r.Metadata.ExifProfile = new ExifProfile();
            r.Metadata.ExifProfile.SetValue(ExifTag.Orientation, (ushort)6); // stored landscape, shown portrait
            r.SaveAsJpeg(p);
        });
        try
        {
            var cmyk = Path.Combine(dir, "cmyk.jpg");
            rgb.SaveAsJpeg(cmyk, new JpegEncoder { ColorType = JpegColorType.Cmyk });
            made["cmyk"] = cmyk;
        }
        catch (Exception) { /* ImageSharp 2.1 may not write CMYK; the case is skipped then. */ }
        return made;
    }

    /// <summary>Hostile files by path, each with the ImageReadReason name the engine must report.</summary>
    public static Dictionary<string, string> Hostile(string dir)
    {
        Directory.CreateDirectory(dir);
        var cases = new Dictionary<string, string>();
        using var rgb = Gradient(64, 48);

        var empty = Path.Combine(dir, "empty.jpg");
        File.WriteAllBytes(empty, Array.Empty<byte>());
        cases[empty] = "Empty";

        var jpg = new MemoryStream(); rgb.SaveAsJpeg(jpg); var jpgBytes = jpg.ToArray();
        var truncJpg = Path.Combine(dir, "truncated.jpg");
        File.WriteAllBytes(truncJpg, jpgBytes[..(jpgBytes.Length * 6 / 10)]);
        cases[truncJpg] = "Truncated";

        var png = new MemoryStream(); rgb.SaveAsPng(png); var pngBytes = png.ToArray();
        var truncPng = Path.Combine(dir, "truncated.png");
        File.WriteAllBytes(truncPng, pngBytes[..(pngBytes.Length * 6 / 10)]);
        cases[truncPng] = "Truncated";

        var html = Path.Combine(dir, "page.jpg");
        File.WriteAllText(html, "<!DOCTYPE html>\n<html><body>404 Not Found</body></html>\n");
        cases[html] = "NotAnImage";

        var bomb = Path.Combine(dir, "bomb.png");
        File.WriteAllBytes(bomb, PngHeaderOnly(30000, 30000));
        cases[bomb] = "TooLarge";

        var heic = Path.Combine(dir, "photo.jpg");
        var heicBytes = new byte[64];
        heicBytes[3] = 0x18;
        Encoding.ASCII.GetBytes("ftypheic").CopyTo(heicBytes, 4);
        Encoding.ASCII.GetBytes("mif1heic").CopyTo(heicBytes, 16);
        File.WriteAllBytes(heic, heicBytes);
        cases[heic] = "UnsupportedFormat";

        var folder = Path.Combine(dir, "folder.jpg");
        Directory.CreateDirectory(folder);
        cases[folder] = "IsDirectory";

        var random = Path.Combine(dir, "random.png");
        var bytes = new byte[500]; new Random(7).NextBytes(bytes); bytes[0] = 0x01;
        File.WriteAllBytes(random, bytes);
        cases[random] = "NotAnImage";

        cases[Path.Combine(dir, "missing.png")] = "NotFound";
        return cases;
    }

    /// <summary>A width x height PNG of one colour.</summary>
    public static string Solid(string path, int width, int height, byte r, byte g, byte b)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        using var img = new Image<Rgb24>(width, height, new Rgb24(r, g, b));
        img.SaveAsPng(path);
        return path;
    }

    private static string Save(string dir, string name, Action<string> write)
    {
        var p = Path.Combine(dir, name);
        write(p);
        return p;
    }

    /// <summary>A gradient whose every pixel differs, so orientation and cropping errors show.</summary>
    public static Image<Rgb24> Gradient(int w, int h)
    {
        var img = new Image<Rgb24>(w, h);
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) img[x, y] = new Rgb24((byte)(x * 255 / Math.Max(1, w - 1)), (byte)(y * 255 / Math.Max(1, h - 1)), 60);
        return img;
    }

    /// <summary>A PNG that declares width x height but carries one tiny IDAT: a decompression-bomb header.</summary>
    public static byte[] PngHeaderOnly(int width, int height)
    {
        var ms = new MemoryStream();
        ms.Write(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A });
        var ihdr = new byte[13];
        WriteBE(ihdr, 0, width); WriteBE(ihdr, 4, height);
        ihdr[8] = 8; ihdr[9] = 2; // 8-bit RGB
        Chunk(ms, "IHDR", ihdr);
        Chunk(ms, "IDAT", new byte[] { 0x78, 0x9C, 0x63, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01 });
        Chunk(ms, "IEND", Array.Empty<byte>());
        return ms.ToArray();
    }

    private static void Chunk(Stream s, string type, byte[] data)
    {
        var len = new byte[4]; WriteBE(len, 0, data.Length); s.Write(len);
        var body = new byte[4 + data.Length];
        Encoding.ASCII.GetBytes(type).CopyTo(body, 0); data.CopyTo(body, 4);
        s.Write(body);
        var crc = new byte[4]; WriteBE(crc, 0, (int)Crc32(body)); s.Write(crc);
    }

    private static void WriteBE(byte[] b, int at, int v) { b[at] = (byte)(v >> 24); b[at + 1] = (byte)(v >> 16); b[at + 2] = (byte)(v >> 8); b[at + 3] = (byte)v; }

    private static uint Crc32(byte[] data)
    {
        uint c = 0xFFFFFFFF;
        foreach (var d in data)
        {
            c ^= d;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
        }
        return ~c;
    }
}

using System;
using System.IO;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Advanced;
using SixLabors.ImageSharp.PixelFormats;
using SkiaSharp;

namespace ConvViz.Engine.Grid;

/// <summary>
/// Draws short labels with SkiaSharp (ImageSharp.Drawing and SixLabors.Fonts are not
/// available). Text is optional decoration: if the native library or a font is missing,
/// <see cref="IsAvailable"/> is false and nothing is drawn, but nothing else changes.
/// </summary>
public static class TextRasterizer
{
    // SkiaSharp's Linux "NoDependencies" build has no fontconfig, so the default typeface may
    // be empty; well-known font files are tried after the family names.
    private static readonly string[] Families = { "DejaVu Sans", "Liberation Sans", "Arial", "Segoe UI", "Helvetica", "sans-serif" };
    private static readonly string[] FontFiles =
    {
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/TTF/DejaVuSans.ttf",
        "/usr/share/fonts/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
        "/usr/share/fonts/liberation-sans/LiberationSans-Regular.ttf",
        @"C:\Windows\Fonts\segoeui.ttf",
        @"C:\Windows\Fonts\arial.ttf",
        "/System/Library/Fonts/Helvetica.ttc",
        "/Library/Fonts/Arial.ttf",
    };

    private static readonly Lazy<SKTypeface?> Face = new(FindTypeface);

    /// <summary>Whether labels can be drawn on this machine.</summary>
    public static bool IsAvailable => Face.Value is not null;

    /// <summary>
    /// Draws <paramref name="text"/> left-aligned and vertically centred in <paramref name="area"/>
    /// over <paramref name="background"/>, cut with an ellipsis to fit. Returns false when no
    /// text could be drawn (the area is then filled with the background).
    /// </summary>
    public static bool TryDraw(Image<Rgb24> target, GridRect area, string text, Rgb24 colour, Rgb24 background, float size = 12f)
    {
        ArgumentNullException.ThrowIfNull(target);
        PixelOps.RequireInside(target, area);
        PixelOps.Fill(target, area, background);
        var face = Face.Value;
        if (face is null || string.IsNullOrEmpty(text) || area.Width < 1 || area.Height < 1) return false;
        try
        {
            using var font = new SKFont(face, size) { Subpixel = true, Edging = SKFontEdging.Antialias };
            using var paint = new SKPaint { Color = new SKColor(colour.R, colour.G, colour.B), IsAntialias = true };
            string shown = Ellipsize(text, font, area.Width - 2);
            using var bitmap = new SKBitmap(new SKImageInfo(area.Width, area.Height, SKColorType.Rgba8888, SKAlphaType.Premul));
            using (var canvas = new SKCanvas(bitmap))
            {
                canvas.Clear(new SKColor(background.R, background.G, background.B));
                var metrics = font.Metrics;
                float baseline = (area.Height - (metrics.Descent - metrics.Ascent)) / 2f - metrics.Ascent;
                canvas.DrawText(shown, 1, baseline, SKTextAlign.Left, font, paint);
            }
            ReadOnlySpan<byte> rgba = bitmap.GetPixelSpan();
            int stride = bitmap.RowBytes;
            for (int y = 0; y < area.Height; y++)
            {
                Span<Rgb24> row = target.DangerousGetPixelRowMemory(area.Y + y).Span.Slice(area.X, area.Width);
                for (int x = 0; x < area.Width; x++)
                {
                    int i = y * stride + 4 * x;
                    row[x] = new Rgb24(rgba[i], rgba[i + 1], rgba[i + 2]);
                }
            }
            return true;
        }
        catch (Exception e) when (e is DllNotFoundException or TypeInitializationException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    private static string Ellipsize(string text, SKFont font, float width)
    {
        if (font.MeasureText(text) <= width) return text;
        for (int n = text.Length - 1; n > 0; n--)
        {
            string cut = text[..n] + "…";
            if (font.MeasureText(cut) <= width) return cut;
        }
        return "";
    }

    private static SKTypeface? FindTypeface()
    {
        try
        {
            foreach (string family in Families)
            {
                var face = SKTypeface.FromFamilyName(family);
                if (Usable(face)) return face;
                face?.Dispose();
            }
            foreach (string file in FontFiles)
            {
                if (!File.Exists(file)) continue;
                var face = SKTypeface.FromFile(file);
                if (Usable(face)) return face;
                face?.Dispose();
            }
        }
        catch (Exception e) when (e is DllNotFoundException or TypeInitializationException or EntryPointNotFoundException or BadImageFormatException)
        {
            // No native SkiaSharp on this machine: labels are left out.
        }
        return null;
    }

    // An empty typeface (no font manager) maps every character to glyph 0.
    private static bool Usable(SKTypeface? face)
    {
        if (face is null) return false;
        using var font = new SKFont(face, 12);
        ushort[] glyphs = font.GetGlyphs("Ag");
        return glyphs.Length == 2 && glyphs[0] != 0 && glyphs[1] != 0;
    }
}

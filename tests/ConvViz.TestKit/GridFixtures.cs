using System;
using System.Collections.Generic;
using ConvViz.Engine.Grid;
using ConvViz.Engine.Report;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace ConvViz.TestKit;

/// <summary>
/// Synthetic inputs for the grid and report suites: solid-colour patches and constant
/// projections whose position on a sheet can be read back from the pixels. PowerShell
/// cannot build generic ImageSharp types comfortably, so they are made here.
/// </summary>
public static class GridFixtures
{
    /// <summary>The solid colour of unit u, rank r's patch (0xRRGGBB), distinct for u, r &lt; 16.</summary>
    public static int PatchColour(int unit, int rank) => ((40 + 13 * unit) << 16) | ((30 + 20 * rank) << 8) | 200;

    /// <summary>Every projection is R = +1, G = -1, B = 0: Symmetric draws it (255, 0, 128).</summary>
    public static FloatPlanes ConstantProjection(int height, int width)
    {
        var data = new float[3 * height * width];
        Array.Fill(data, 1f, 0, height * width);
        Array.Fill(data, -1f, height * width, height * width);
        return FloatPlanes.Rgb(data, height, width);
    }

    public static Image<Rgb24> Solid(int width, int height, int rgb)
        => new(width, height, new Rgb24((byte)(rgb >> 16), (byte)(rgb >> 8), (byte)rgb));

    /// <summary>Units with k items each; patches are patchW x patchH solid colours.</summary>
    public static List<UnitEntry> SolidUnits(int units, int k, int patchWidth, int patchHeight, string? imagePath = null)
    {
        var list = new List<UnitEntry>();
        for (int u = 0; u < units; u++)
        {
            var items = new List<UnitItem>();
            for (int r = 0; r < k; r++)
                items.Add(new UnitItem(ConstantProjection(patchHeight, patchWidth), Solid(patchWidth, patchHeight, PatchColour(u, r)),
                    $"caption {r}", imagePath ?? $"/photos/img{u}_{r}.jpg", 10.0 - r, $"(y={r}, x={u})"));
            list.Add(new UnitEntry("features.0", u, items));
        }
        return list;
    }

    public static List<UnitEntry> One(UnitEntry entry) => new() { entry };

    /// <summary>A report with every section; <paramref name="text"/> goes into every string
    /// that comes from data (title, model source, layer name, image paths, captions, cells).</summary>
    public static ConvVizReport DemoReport(string text, int units, int unitsPerLayerPage = 100)
    {
        var entries = SolidUnits(units, 9, 12, 16, $"/photos/{text}.jpg");
        var image = new Image<Rgb24>(64, 48);
        for (int y = 0; y < 48; y++)
            for (int x = 0; x < 64; x++) image[x, y] = new Rgb24((byte)(4 * x), (byte)(5 * y), 90);
        var map = new float[6 * 8];
        for (int i = 0; i < map.Length; i++) map[i] = (i % 8) * (i / 8);
        var xs = new double[] { -20, -10, 0, 10, 20 };
        return new ConvVizReport($"Report {text}", new RunMetadata(new DateTimeOffset(2024, 5, 1, 12, 0, 0, TimeSpan.Zero), 42, TimeSpan.FromSeconds(75.5), "zfnet", $"/models/{text}.onnx"))
        {
            Geometry = new ReportTable(new[] { "Layer", "Shape" }, new IReadOnlyList<string>[] { new[] { "features.0", "96x55x55" }, new[] { text, "1" } }),
            Layers = new[] { new ReportLayer($"features.0 {text}", entries, text), new ReportLayer("features.3", entries.GetRange(0, Math.Min(2, entries.Count))) },
            Occlusion = new[] { new OcclusionEntry($"{text}.jpg", image, FloatPlanes.Map(map, 6, 8), text) },
            Charts = new[] { new InvarianceChart($"Translation {text}", "pixels", "distance", new[]
            {
                new ChartSeries("layer 1", xs, new double[] { 2, 1, 0, 1, 2 }),
                new ChartSeries(text, xs, new double[] { 1, 0.5, 0, 0.5, 1 }),
            }) },
            Evolution = new FeatureEvolution("Evolution", new[] { "epoch 1", text }, new[] { new FeatureEvolutionRow("features.0", 0, new UnitEntry?[] { entries[0], null }) }),
        };
    }

    public static ReportOptions ReportOptionsWithPage(int unitsPerPage) => new() { UnitsPerPage = unitsPerPage };
}

/// <summary>A decoded sheet's pixels as 0xRRGGBB integers, for geometry checks.</summary>
public sealed class SheetPixels
{
    private readonly int[] _rgb;
    public int Width { get; }
    public int Height { get; }

    private SheetPixels(Image<Rgb24> image)
    {
        Width = image.Width;
        Height = image.Height;
        _rgb = new int[Width * Height];
        for (int y = 0; y < Height; y++)
            for (int x = 0; x < Width; x++)
            {
                var p = image[x, y];
                _rgb[y * Width + x] = (p.R << 16) | (p.G << 8) | p.B;
            }
    }

    public static SheetPixels Load(string path)
    {
        using var image = Image.Load<Rgb24>(path);
        return new SheetPixels(image);
    }

    public static SheetPixels From(Image<Rgb24> image) => new(image);

    public int At(int x, int y) => _rgb[y * Width + x];

    public string Hex(int x, int y) => At(x, y).ToString("X6");

    /// <summary>Largest per-channel difference from rgb: 0 for an exact match.</summary>
    public int Distance(int x, int y, int rgb)
    {
        int p = At(x, y);
        return Math.Max(Math.Abs((p >> 16) - (rgb >> 16)), Math.Max(Math.Abs(((p >> 8) & 255) - ((rgb >> 8) & 255)), Math.Abs((p & 255) - (rgb & 255))));
    }

    public int DistinctColours() => new HashSet<int>(_rgb).Count;
}

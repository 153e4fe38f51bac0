using System;
using System.Collections.Generic;
using System.Linq;
using ConvViz.Engine.Analysis;
using SixLabors.ImageSharp.Processing;

namespace ConvViz.Engine.Report;

/// <summary>Figure 5's charts from invariance measurements: distance per layer, and the class probability.</summary>
public static class InvarianceCharts
{
    public static IReadOnlyList<InvarianceChart> From(IReadOnlyList<InvarianceMeasurement> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        if (points.Count == 0) throw new ArgumentException("No invariance measurements to chart.", nameof(points));
        var transform = points[0].Transform;
        string x = XLabel(transform);
        var charts = new List<InvarianceChart>();
        var series = points.GroupBy(p => p.Layer)
            .Select(g => { var s = g.OrderBy(p => p.Amount).ToList(); return new ChartSeries(g.Key, s.Select(p => p.Amount).ToList(), s.Select(p => p.Distance).ToList()); })
            .ToList();
        charts.Add(new InvarianceChart($"{transform}: feature distance from the original", x, "Euclidean distance", series));
        var withClass = points.Where(p => p.Probability is not null).GroupBy(p => p.Amount).Select(g => g.First()).OrderBy(p => p.Amount).ToList();
        if (withClass.Count > 0)
        {
            string name = withClass[0].ClassName ?? $"class {withClass[0].Class}";
            charts.Add(new InvarianceChart($"{transform}: P({name})", x, "Probability",
                new[] { new ChartSeries(name, withClass.Select(p => p.Amount).ToList(), withClass.Select(p => (double)p.Probability!.Value).ToList()) }));
        }
        return charts;
    }

    /// <summary>
    /// The charts stacked top to bottom (distance, then probability for classifiers) in one
    /// PNG or JPEG (by extension), written atomically. Returns the sheet's size.
    /// </summary>
    public static (int Width, int Height) Save(IReadOnlyList<InvarianceMeasurement> points, string path, int width = 640, int height = 400)
    {
        var charts = From(points);
        using var sheet = new SixLabors.ImageSharp.Image<SixLabors.ImageSharp.PixelFormats.Rgb24>(width, height * charts.Count, SixLabors.ImageSharp.Color.White);
        for (int i = 0; i < charts.Count; i++)
        {
            using var chart = SixLabors.ImageSharp.Image.Load<SixLabors.ImageSharp.PixelFormats.Rgb24>(ChartRenderer.RenderPng(charts[i], width, height));
            int top = i * height;
            sheet.Mutate(x => x.DrawImage(chart, new SixLabors.ImageSharp.Point(0, top), 1f));
        }
        Grid.SheetWriter.Save(sheet, path);
        return (sheet.Width, sheet.Height);
    }

    private static string XLabel(InvarianceTransform t) => t switch
    {
        InvarianceTransform.Translate => "Translation (model-input pixels)",
        InvarianceTransform.Scale => "Scale factor",
        _ => "Rotation (degrees)",
    };
}

using System;
using System.Linq;

namespace ConvViz.Engine.Report;

/// <summary>Line charts (invariance curves) drawn by ScottPlot 5 to PNG bytes.</summary>
public static class ChartRenderer
{
    public static byte[] RenderPng(InvarianceChart chart, int width = 640, int height = 400)
    {
        ArgumentNullException.ThrowIfNull(chart);
        if (width < 50 || height < 50 || width > 8000 || height > 8000)
            throw new ArgumentOutOfRangeException(nameof(width), $"A chart must be 50..8000 pixels a side, got {width} x {height}.");
        var plot = new ScottPlot.Plot();
        try
        {
            foreach (var series in chart.Series)
            {
                if (series.X.Count != series.Y.Count)
                    throw new ArgumentException($"Series '{series.Name}' has {series.X.Count} x values but {series.Y.Count} y values.", nameof(chart));
                if (series.X.Count == 0) continue;
                var line = plot.Add.Scatter(series.X.ToArray(), series.Y.ToArray());
                line.LegendText = series.Name ?? "";
                line.LineWidth = 2;
                line.MarkerSize = 5;
            }
            plot.Title(chart.Title ?? "");
            plot.XLabel(chart.XLabel ?? "");
            plot.YLabel(chart.YLabel ?? "");
            if (chart.Series.Count > 1) plot.ShowLegend();
            return plot.GetImageBytes(width, height, ScottPlot.ImageFormat.Png);
        }
        finally
        {
            (plot as IDisposable)?.Dispose();
        }
    }
}

using System;
using System.Collections.Generic;
using System.Linq;
using ConvViz.Engine.Analysis;

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

    private static string XLabel(InvarianceTransform t) => t switch
    {
        InvarianceTransform.Translate => "Translation (model-input pixels)",
        InvarianceTransform.Scale => "Scale factor",
        _ => "Rotation (degrees)",
    };
}

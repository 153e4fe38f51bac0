using System.Collections.Generic;

namespace ConvViz.Engine.Report;

/// <summary>A line chart: e.g. feature distance against translation, one series per layer (the paper's Figure 5).</summary>
public sealed record InvarianceChart(string Title, string XLabel, string YLabel, IReadOnlyList<ChartSeries> Series);

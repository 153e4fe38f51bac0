using System.Collections.Generic;

namespace ConvViz.Engine.Report;

/// <summary>One line of a chart (e.g. one layer's invariance curve): points (X[i], Y[i]).</summary>
public sealed record ChartSeries(string Name, IReadOnlyList<double> X, IReadOnlyList<double> Y);

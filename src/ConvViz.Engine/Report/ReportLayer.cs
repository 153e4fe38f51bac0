using System.Collections.Generic;
using ConvViz.Engine.Grid;

namespace ConvViz.Engine.Report;

/// <summary>One layer's section of the report: its units' top-k projections and patches.</summary>
public sealed record ReportLayer(string Name, IReadOnlyList<UnitEntry> Units, string? Note = null);

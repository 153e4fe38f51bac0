using System;
using System.Collections.Generic;

namespace ConvViz.Engine.Report;

/// <summary>A plain table of strings (e.g. the model's layer geometry); every cell is escaped.</summary>
public sealed record ReportTable(IReadOnlyList<string> Headers, IReadOnlyList<IReadOnlyList<string>> Rows)
{
    public static ReportTable Empty { get; } = new(Array.Empty<string>(), Array.Empty<IReadOnlyList<string>>());
}

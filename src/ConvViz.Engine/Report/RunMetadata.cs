using System;
using System.Collections.Generic;

namespace ConvViz.Engine.Report;

/// <summary>What the report says about the run that produced it.</summary>
public sealed record RunMetadata(DateTimeOffset Date, int ImageCount, TimeSpan Elapsed, string ModelName, string? ModelSource = null)
{
    /// <summary>Further name/value rows (device, top-k, projection rule...), shown in order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Extra { get; init; } = Array.Empty<KeyValuePair<string, string>>();
}

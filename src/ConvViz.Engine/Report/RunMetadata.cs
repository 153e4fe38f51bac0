using System;
using System.Collections.Generic;

namespace ConvViz.Engine.Report;

/// <summary>
/// What the report says about the run that produced it. Date and Elapsed describe the scan
/// (from the records or the state), not the report's own writing; ElapsedKnown is false when
/// nothing recorded how long the scan took.
/// </summary>
public sealed record RunMetadata(DateTimeOffset Date, int ImageCount, TimeSpan Elapsed, string ModelName, string? ModelSource = null)
{
    /// <summary>Further name/value rows (device, top-k, projection rule...), shown in order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Extra { get; init; } = Array.Empty<KeyValuePair<string, string>>();

    public bool ElapsedKnown { get; init; } = true;

    /// <summary>The k of the top-k; with it the report warns when the dataset is too small for k.</summary>
    public int? TopK { get; init; }

    /// <summary>Images per k below which a top-k says little (the report warns).</summary>
    public const int ImagesPerK = 20;
}

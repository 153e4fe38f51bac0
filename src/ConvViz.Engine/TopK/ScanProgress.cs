using System;

namespace ConvViz.Engine.TopK;

/// <summary>Reported after every batch. ImagesTotal counts this scan's requests (shard and resume applied).</summary>
public sealed record ScanProgress(long ImagesDone, long ImagesTotal, long ImagesSkipped, long ImagesFailed, TimeSpan Elapsed)
{
    public double ImagesPerSecond => Elapsed.TotalSeconds > 0 ? ImagesDone / Elapsed.TotalSeconds : 0;
}

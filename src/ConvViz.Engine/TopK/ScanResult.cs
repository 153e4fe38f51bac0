using System;
using System.Collections.Generic;
using ConvViz.Engine.Image;

namespace ConvViz.Engine.TopK;

/// <summary>
/// What a scan produced: the top-k records (layer, unit, rank order), the final state (images
/// numbered canonically by path), counts, the files that could not be read, and whether the
/// scan was cancelled (then everything holds what was scanned up to the last whole batch).
/// </summary>
public sealed record ScanResult(
    IReadOnlyList<TopActivation> Activations,
    ScanState State,
    long ImagesScanned,
    long ImagesSkipped,
    IReadOnlyList<ImageReadException> Errors,
    bool Cancelled,
    TimeSpan Elapsed);

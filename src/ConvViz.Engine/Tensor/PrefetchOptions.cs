using System;
using ConvViz.Engine.Image;
using ConvViz.Engine.Models;

namespace ConvViz.Engine.Tensors;

/// <summary>How a <see cref="BatchPrefetcher"/> builds batches.</summary>
public sealed record PrefetchOptions(int BatchSize, InputSpec Input)
{
    public ImageDecodeOptions Decode { get; init; } = ImageDecodeOptions.Default;
    /// <summary>Decoding threads; 0 = one per core.</summary>
    public int Workers { get; init; }
    /// <summary>Finished batches waiting for the consumer; bounds memory to about Capacity + 2 batches.</summary>
    public int Capacity { get; init; } = 2;

    internal int EffectiveWorkers => Workers > 0 ? Workers : Math.Max(1, Environment.ProcessorCount);
}

using System;
using System.Collections.Generic;
using ConvViz.Engine.Image;
using static TorchSharp.torch;

namespace ConvViz.Engine.Tensors;

/// <summary>
/// N fitted images as one N x 3 x H x W float tensor (on the CPU), the item for each row,
/// and the files that failed on the way (so the consumer reports them on its own thread, in
/// order). A batch may hold only errors (N = 0, <see cref="Pixels"/> null).
/// </summary>
public sealed class ImageBatch : IDisposable
{
    public ImageBatch(Tensor? pixels, IReadOnlyList<BatchItem> items, IReadOnlyList<ImageReadException> errors, int skipped)
    {
        if (pixels is not null && pixels.shape[0] != items.Count)
            throw new ArgumentException($"Batch tensor has {pixels.shape[0]} rows for {items.Count} items.");
        Pixels = pixels; Items = items; Errors = errors; Skipped = skipped;
    }

    public Tensor? Pixels { get; private set; }
    public IReadOnlyList<BatchItem> Items { get; }
    public int Count => Items.Count;
    public IReadOnlyList<ImageReadException> Errors { get; }
    /// <summary>Images passed over because the caller had already counted them (resume).</summary>
    public int Skipped { get; }

    public void Dispose()
    {
        Pixels?.Dispose();
        Pixels = null;
    }
}

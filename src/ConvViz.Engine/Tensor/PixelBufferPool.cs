using System;
using System.Collections.Concurrent;

namespace ConvViz.Engine.Tensors;

/// <summary>
/// The per-image pixel arrays of one prefetcher (3 x H x W floats, about 600 KB at 224 x 224).
/// ArrayPool.Shared keeps only a few arrays of a size per core, fewer than a batch in flight on
/// a small machine, so the rest went to the large-object heap as garbage every batch and the
/// GC's committed memory crept up over a long scan. This pool keeps every array it made; it
/// never holds more than the most that were in use at once (about two batches).
/// </summary>
internal sealed class PixelBufferPool
{
    private readonly ConcurrentBag<float[]> _free = new();

    public PixelBufferPool(long length)
    {
        if (length <= 0 || length > Array.MaxLength) throw new ArgumentOutOfRangeException(nameof(length), length, "A pixel buffer must have 1 to Array.MaxLength values.");
        Length = (int)length;
    }

    public int Length { get; }

    public float[] Rent() => _free.TryTake(out var buffer) ? buffer : new float[Length];

    public void Return(float[] buffer)
    {
        if (buffer.Length == Length) _free.Add(buffer);
    }
}

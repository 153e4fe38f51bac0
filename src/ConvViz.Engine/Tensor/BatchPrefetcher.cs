using System;
using System.Buffers;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using ConvViz.Engine.Image;
using static TorchSharp.torch;

namespace ConvViz.Engine.Tensors;

/// <summary>
/// Reads, hashes, decodes and fits images on worker threads while the consumer runs the
/// forward pass. Batches travel through a bounded channel (Capacity batches), so decoding
/// never races ahead of the model by more than that and memory stays bounded. Batches hold
/// BatchSize usable images (the last one fewer) in request order; files that fail are
/// reported in the batch's Errors and never stop the stream.
/// </summary>
public sealed class BatchPrefetcher : IDisposable
{
    private readonly Channel<ImageBatch> _channel;
    private readonly CancellationTokenSource _cts;
    private readonly Task _producer;

    /// <param name="requests">Images in scan order.</param>
    /// <param name="alreadyCounted">Given each read file before decoding; true passes over it (resume). May throw to stop the scan.</param>
    public BatchPrefetcher(IEnumerable<ImageRequest> requests, PrefetchOptions options, Func<ImageSource, bool>? alreadyCounted = null, CancellationToken cancellationToken = default)
    {
        if (options.BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(options), $"Batch size must be at least 1, got {options.BatchSize}.");
        _channel = Channel.CreateBounded<ImageBatch>(new BoundedChannelOptions(Math.Max(1, options.Capacity))
        {
            SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait,
        });
        _cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var token = _cts.Token;
        _producer = Task.Run(() => Produce(requests, options, alreadyCounted, token), token);
        // Surface producer failures (and cancellation) to the reader instead of losing them.
        _producer.ContinueWith(t => _channel.Writer.TryComplete(t.Exception is { } e ? Unwrap(e) : t.IsCanceled ? new OperationCanceledException(token) : null),
            TaskScheduler.Default);
    }

    /// <summary>Blocks until the next batch; false at the end. Rethrows a producer failure.</summary>
    public bool TryRead(out ImageBatch batch, CancellationToken cancellationToken = default)
    {
        var reader = _channel.Reader;
        while (true)
        {
            if (reader.TryRead(out batch!)) return true;
            if (!reader.WaitToReadAsync(cancellationToken).AsTask().GetAwaiter().GetResult())
            {
                // Completed: rethrow the producer's failure, if any.
                reader.Completion.GetAwaiter().GetResult();
                return false;
            }
        }
    }

    private async Task Produce(IEnumerable<ImageRequest> requests, PrefetchOptions options, Func<ImageSource, bool>? alreadyCounted, CancellationToken token)
    {
        var spec = options.Input;
        long perImage = 3L * spec.Width * spec.Height;
        var buffers = new PixelBufferPool(perImage);
        var pending = new List<(BatchItem Item, float[] Pixels)>();
        var errors = new List<ImageReadException>();
        int skipped = 0;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.EffectiveWorkers, CancellationToken = token };

        foreach (var chunk in requests.Chunk(options.BatchSize))
        {
            token.ThrowIfCancellationRequested();
            var results = new (BatchItem? Item, float[]? Pixels, ImageReadException? Error, bool Skip)[chunk.Length];
            Parallel.For(0, chunk.Length, parallel, i =>
            {
                var request = chunk[i];
                try
                {
                    var source = ImageSource.Read(request.Path, options.Decode);
                    if (alreadyCounted is not null && alreadyCounted(source)) { results[i] = (null, null, null, true); return; }
                    // Pooled: one 600 KB array per photo would churn the large-object heap.
                    var pixels = buffers.Rent();
                    ImageGeometry geometry;
                    try { geometry = ImageFitter.LoadInto(source, spec, options.Decode, pixels.AsSpan(0, (int)perImage)); }
                    catch { buffers.Return(pixels); throw; }
                    results[i] = (new BatchItem(request.Sequence, source.Path, source.ContentHash, geometry), pixels, null, false);
                }
                catch (ImageReadException e)
                {
                    results[i] = (null, null, e, false);
                }
                catch (Exception e) when (e is not (OperationCanceledException or OutOfMemoryException or TopK.ScanStateException))
                {
                    // A decoder bug on one odd file must not end a scan of a million.
                    results[i] = (null, null, new ImageReadException(request.Path, ImageReadReason.Corrupt, $"{e.GetType().Name}: {e.Message}", e), false);
                }
            });
            foreach (var r in results)
            {
                if (r.Skip) skipped++;
                else if (r.Error is not null) errors.Add(r.Error);
                else pending.Add((r.Item!, r.Pixels!));
            }
            while (pending.Count >= options.BatchSize)
            {
                await Emit(pending.GetRange(0, options.BatchSize), errors, skipped, perImage, spec, buffers, token).ConfigureAwait(false);
                pending.RemoveRange(0, options.BatchSize);
                errors = new List<ImageReadException>();
                skipped = 0;
            }
        }
        if (pending.Count > 0 || errors.Count > 0 || skipped > 0)
            await Emit(pending, errors, skipped, perImage, spec, buffers, token).ConfigureAwait(false);
        _channel.Writer.TryComplete();
    }

    private async Task Emit(List<(BatchItem Item, float[] Pixels)> items, List<ImageReadException> errors, int skipped, long perImage, Models.InputSpec spec, PixelBufferPool buffers, CancellationToken token)
    {
        Tensor? pixels = null;
        if (items.Count > 0)
        {
            try
            {
                // Straight into native memory: torch.tensor(float[]) would first copy the whole
                // batch into a new managed array (measured: 9.4 MB of garbage per batch of 16).
                pixels = empty(new long[] { items.Count, 3, spec.Height, spec.Width }, dtype: ScalarType.Float32);
                using var target = pixels.data<float>();
                for (int i = 0; i < items.Count; i++) target.CopyFrom(items[i].Pixels, 0, i * perImage);
            }
            catch
            {
                pixels?.Dispose();
                throw;
            }
            finally
            {
                foreach (var item in items) buffers.Return(item.Pixels);
            }
        }
        var batch = new ImageBatch(pixels, items.Select(p => p.Item).ToList(), errors, skipped);
        try
        {
            await _channel.Writer.WriteAsync(batch, token).ConfigureAwait(false);
        }
        catch
        {
            batch.Dispose();
            throw;
        }
    }

    // Parallel.For and Task both wrap; the reader wants the original failure.
    private static Exception Unwrap(Exception e)
    {
        while (e is AggregateException { InnerExceptions.Count: > 0 } a) e = a.InnerExceptions[0];
        return e;
    }

    public void Dispose()
    {
        _cts.Cancel();
        try { _producer.Wait(); } catch (AggregateException) { } catch (OperationCanceledException) { }
        // Batches nobody will read.
        while (_channel.Reader.TryRead(out var left)) left.Dispose();
        _cts.Dispose();
    }
}

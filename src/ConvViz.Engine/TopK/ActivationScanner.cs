using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using ConvViz.Engine.Image;
using ConvViz.Engine.Models;
using ConvViz.Engine.Runtime;
using ConvViz.Engine.Taps;
using ConvViz.Engine.Tensors;
using static TorchSharp.torch;

namespace ConvViz.Engine.TopK;

/// <summary>
/// Streams a set of images through a model once and keeps, for every unit of the chosen
/// layers, the k strongest patches (Zeiler and Fergus, Figure 2). One forward pass per batch
/// with every layer tapped; decoding runs ahead on worker threads; the top-k stays on the
/// device; optional state file, checkpointed every few seconds, for resume, and shards that merge exactly.
/// </summary>
public sealed class ActivationScanner
{
    private readonly ConvModel _model;

    /// <remarks>The model is moved to <see cref="ScanOptions.Device"/>.</remarks>
    public ActivationScanner(ConvModel model, ScanOptions options)
    {
        _model = model;
        Options = options;
        if (options.K < 1) throw new ArgumentOutOfRangeException(nameof(options), $"Top must be at least 1, got {options.K}.");
        if (options.BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(options), $"BatchSize must be at least 1, got {options.BatchSize}.");
        if (options.Layers.Count == 0) throw new ArgumentException("No layer given.");
        Taps = BuildTaps(model, options);
    }

    public ScanOptions Options { get; }
    public IReadOnlyList<TapSpec> Taps { get; }

    private static IReadOnlyList<TapSpec> BuildTaps(ConvModel model, ScanOptions options)
    {
        var layers = model.Layers.Resolve(options.Layers);
        if (layers.Count == 0) throw new ArgumentException($"The layer list {string.Join(", ", options.Layers)} selects no layer of model '{model.Name}'.");
        var taps = new List<TapSpec>();
        foreach (var layer in layers)
        {
            int node = layer.NodeFor(options.Stage);
            var shape = model.Graph.ShapeOf(node);
            int channels, height, width;
            if (shape.Length == 3) { channels = (int)shape[0]; height = (int)shape[1]; width = (int)shape[2]; }
            else if (shape.Length == 1) { channels = (int)shape[0]; height = 1; width = 1; }
            else throw new ArgumentException($"Layer '{layer.Name}' of model '{model.Name}' has output shape [{string.Join("x", shape)}]; only C x H x W or C outputs can be scanned.");
            IReadOnlyList<int> units;
            if (options.Units is null) units = Enumerable.Range(0, channels).ToArray();
            else
            {
                var bad = options.Units.Where(u => u < 0 || u >= channels).ToList();
                if (bad.Count > 0)
                    throw new ArgumentOutOfRangeException(nameof(options),
                        $"Unit {string.Join(", ", bad)} is out of range for layer '{layer.Name}' of model '{model.Name}', which has {channels} units (valid: 0..{channels - 1}).");
                units = options.Units.Distinct().OrderBy(u => u).ToArray();
            }
            var field = model.Graph.FieldOf(node);
            if (shape.Length == 1) field = field with { Global = true };
            taps.Add(new TapSpec(layer.Name, node, channels, height, width, units, field));
        }
        return taps;
    }

    /// <summary>
    /// Scans <paramref name="paths"/> (files; duplicates and order do not matter: images are
    /// numbered by ordinal full path). Unreadable files go to <paramref name="badImage"/> and
    /// the result's Errors and are skipped. <paramref name="progress"/> is called after every
    /// batch on the calling thread. Cancelling stops after the batch in flight and returns what
    /// was scanned (Cancelled = true); the state file then holds the same.
    /// </summary>
    public ScanResult Scan(IEnumerable<string> paths, Action<ScanProgress>? progress = null, Action<ImageReadException>? badImage = null, CancellationToken cancellationToken = default)
    {
        NativeEnvironment.EnsureInitialized();
        var heap = NativeHeap.ForScan();
        var o = Options;
        var device = Devices.Resolve(o.Device);
        if (_model.Device != device) _model.To(o.Device);
        var identity = ModelIdentity.Of(_model);
        var spec = _model.Input;

        // Resume: the state must be for exactly this scan; a bad file stops here and is never overwritten.
        ScanState? resumed = null;
        string? statePath = o.StatePath is null ? null : Path.GetFullPath(o.StatePath);
        // One scan per state file: a second one would overwrite this one's images.
        using var stateLock = statePath is null ? null : ScanStateLock.Acquire(statePath);
        if (statePath is not null && (File.Exists(statePath) || Directory.Exists(statePath)))
        {
            resumed = ScanStateFile.Load(statePath);
            var template = NewState(identity, Array.Empty<StateImage>(), Taps.Select(t => new StateLayer(t, TopKTable.Empty(t.Units.Count))).ToList());
            template.EnsureSameScan(resumed, statePath);
            if (!Equals(resumed.Shard, o.Shard))
                throw new ScanStateException(statePath, $"it was written for shard {resumed.Shard?.ToString() ?? "(none)"}, this scan is shard {o.Shard?.ToString() ?? "(none)"}.");
        }

        var counted = new Dictionary<string, StateImage>(StringComparer.Ordinal);
        if (resumed is not null) foreach (var img in resumed.Images) counted[img.Path] = img;

        var wanted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var p in paths)
        {
            var full = Path.GetFullPath(p);
            if (o.Shard is null || o.Shard.Contains(full)) wanted.Add(full);
        }
        // Sequence = rank of the full path in ordinal order (counted images included), so ties
        // break the same way in every run, shard and resume.
        var ordered = wanted.Union(counted.Keys).OrderBy(p => p, StringComparer.Ordinal).ToList();
        var seqOf = new Dictionary<string, long>(ordered.Count, StringComparer.Ordinal);
        for (int i = 0; i < ordered.Count; i++) seqOf[ordered[i]] = i;
        var requests = ordered.Where(wanted.Contains).Select(p => new ImageRequest(seqOf[p], p)).ToList();

        var images = counted.Values.Select(i => i with { Sequence = seqOf[i.Path] }).ToList();
        var errors = new List<ImageReadException>();
        long scanned = 0, skipped = 0;
        long total = requests.Count(r => !counted.ContainsKey(r.Path));
        bool cancelled = false;
        var clock = Stopwatch.StartNew();
        var nodes = Taps.Select(t => t.Node).Distinct().ToArray();

        using var store = new TopKStore(Taps, o.K, o.AllowSameImage, device);
        if (resumed is not null)
        {
            using var scope = NewDisposeScope();
            var oldToPath = resumed.Images.ToDictionary(i => i.Sequence, i => i.Path);
            for (int t = 0; t < Taps.Count; t++)
            {
                var table = resumed.Layers[t].Table;
                store.Load(t, table with { Sequences = table.Sequences.Select(s => seqOf[oldToPath[s]]).ToArray() });
            }
        }

        bool AlreadyCounted(ImageSource source)
        {
            if (!counted.TryGetValue(source.Path, out var known)) return false;
            if (known.ContentHash == source.ContentHash) return true;
            throw new ScanStateException(statePath ?? "(state)", $"image '{source.Path}' changed since it was counted (SHA-256 {known.ContentHash[..12]}... now {source.ContentHash[..12]}...); its patches would be stale. Start a new state file.");
        }

        // Checkpoints: at most every CheckpointSeconds, and never closer than 20 times the last
        // write took, so state writing stays near 5% of the scan however big the state grows.
        var sinceCheckpoint = Stopwatch.StartNew();
        double lastWriteSeconds = 0;
        void Checkpoint()
        {
            var watch = Stopwatch.StartNew();
            ScanStateFile.Save(Snapshot(identity, store, images), statePath!);
            lastWriteSeconds = watch.Elapsed.TotalSeconds;
            sinceCheckpoint.Restart();
        }
        bool CheckpointDue() => o.CheckpointSeconds <= 0
            || sinceCheckpoint.Elapsed.TotalSeconds >= Math.Max(o.CheckpointSeconds, 20 * lastWriteSeconds);

        // Intra-op threads and decoders share the cores; ForwardRows (below) depends on the thread count set here.
        var plan = ThreadPlan.For(device, o.DecodeWorkers, o.Threads);
        using var threads = plan.Apply();
        var prefetch = new PrefetchOptions(o.BatchSize, spec) { Decode = o.Decode, Workers = plan.DecodeWorkers };
        using (var prefetcher = new BatchPrefetcher(requests, prefetch, counted.Count > 0 ? AlreadyCounted : null, cancellationToken))
        {
            while (true)
            {
                if (cancellationToken.IsCancellationRequested) { cancelled = true; break; }
                ImageBatch batch;
                try
                {
                    if (!prefetcher.TryRead(out batch, cancellationToken)) break;
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    cancelled = true;
                    break;
                }
                using (batch)
                {
                    foreach (var e in batch.Errors) { errors.Add(e); badImage?.Invoke(e); }
                    skipped += batch.Skipped;
                    if (batch.Count > 0)
                    {
                        try { RunBatch(store, batch, nodes, device); }
                        catch (Exception e) when (AllocationFailure.Is(e))
                        {
                            // The state file holds every batch up to the last checkpoint (this batch may have
                            // reached some taps of the store, so it is not saved); a resume with a lower -BatchSize goes on from there.
                            throw AllocationFailure.ForBatch(e, batch.Count, o.BatchSize, device.ToString());
                        }
                        foreach (var item in batch.Items)
                        {
                            var img = new StateImage(item.Sequence, item.Path, item.ContentHash, item.Geometry);
                            counted[item.Path] = img;
                            images.Add(img);
                        }
                        scanned += batch.Count;
                        if (statePath is not null && CheckpointDue()) Checkpoint();
                    }
                }
                heap.AfterBatch();
                progress?.Invoke(new ScanProgress(scanned, total, skipped, errors.Count, clock.Elapsed));
            }
        }

        var state = Snapshot(identity, store, images).Canonical();
        if (statePath is not null) ScanStateFile.Save(state, statePath);
        return new ScanResult(state.ToActivations(), state, scanned, skipped, errors, cancelled, clock.Elapsed);
    }

    /// <summary>
    /// One forward pass for every tap, one dispose scope: nothing of the batch outlives it but the store.
    /// The batch is padded with zero images to <see cref="ForwardRows"/> rows; see there why.
    /// </summary>
    private void RunBatch(TopKStore store, ImageBatch batch, int[] nodes, Device device)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var input = ScanLayout(PadRows(batch.Pixels!, ForwardRows(Options.BatchSize, device)).to(device));
        int rows = batch.Count;
        var seqs = tensor(batch.Items.Select(i => i.Sequence).ToArray(), device: device);
        // Each tap folds into the store as soon as it is computed and is freed after: peak memory as a bare pass.
        ForwardPass.Stream(_model.Graph, input, nodes, (node, value) =>
        {
            using var real = value.shape[0] == rows ? value.alias() : value.narrow(0, 0, rows);
            for (int t = 0; t < Taps.Count; t++)
                if (Taps[t].Node == node) store.Update(t, real, seqs);
        });
    }

    /// <summary>
    /// How many rows every forward pass of a scan has: the batch size, rounded up on the CPU to
    /// a multiple of libtorch's thread count. libtorch picks convolution kernels by batch size,
    /// and when threads split a batch unevenly the row an image sits in matters too; kernels
    /// differ in the last bit. With a fixed row count that the threads divide evenly, an image's
    /// values do not depend on which images share its batch or where it sits, so resume, shards
    /// and any file order give bit-identical results. Short batches are padded with zero images.
    /// Called on the scanning thread after <see cref="ThreadPlan.Apply"/>: the count is the scan's.
    /// </summary>
    public static long ForwardRows(int batchSize, Device device)
    {
        if (device.type != TorchSharp.DeviceType.CPU) return batchSize;
        long threads = Math.Max(1, get_num_threads());
        return (batchSize + threads - 1) / threads * threads;
    }

    /// <summary>
    /// The memory layout a scan's forward passes run in: channels-last (<see cref="MemoryLayout"/>). oneDNN runs NHWC convolutions without reordering
    /// to its blocked layout and back: ~0.74x the NCHW time of the resnet18 pass. Its 1x1 kernel for this
    /// layout can divide by zero (SIGFPE); <see cref="Graph.Ops.Conv2dOp"/> computes 1x1 convolutions of
    /// channels-last inputs as matrix products instead. The one place to change the layout, used by everything
    /// that must agree with a scan bit for bit (the brute-force reference).
    /// </summary>
    public static Tensor ScanLayout(Tensor input) => MemoryLayout.ChannelsLast(input);

    /// <summary>The batch with zero rows appended up to <paramref name="rows"/> (the tensor itself when it has them).</summary>
    public static Tensor PadRows(Tensor batch, long rows)
    {
        long have = batch.shape[0];
        if (have >= rows) return batch.alias();
        var shape = batch.shape.ToArray();
        shape[0] = rows - have;
        using var fill = zeros(shape, batch.dtype, batch.device);
        return cat(new[] { batch, fill }, 0);
    }

    private ScanState Snapshot(ModelIdentity identity, TopKStore store, IReadOnlyList<StateImage> images)
        => NewState(identity, images, Taps.Select((t, i) => new StateLayer(t, store.Snapshot(i))).ToList());

    private ScanState NewState(ModelIdentity identity, IReadOnlyList<StateImage> images, IReadOnlyList<StateLayer> layers)
        => new(identity, _model.Input.Width, _model.Input.Height, Options.Stage, Options.Units?.Distinct().OrderBy(u => u).ToArray(), Options.K,
            Options.AllowSameImage, Options.Shard, images, layers);
}

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
/// device; optional state file after every batch for resume, and shards that merge exactly.
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

        var prefetch = new PrefetchOptions(o.BatchSize, spec) { Decode = o.Decode, Workers = o.DecodeWorkers };
        using (var prefetcher = new BatchPrefetcher(requests, prefetch, counted.Count > 0 ? AlreadyCounted : null, cancellationToken))
        {
            while (true)
            {
                if (cancellationToken.IsCancellationRequested) { cancelled = true; break; }
                ImageBatch batch;
                try
                {
                    if (!prefetcher.TryRead(out batch)) break;
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
                            // The state file still holds every earlier batch, so a resume with a lower -BatchSize loses nothing.
                            throw AllocationFailure.ForBatch(e, batch.Count, o.BatchSize, device.ToString());
                        }
                        foreach (var item in batch.Items)
                        {
                            var img = new StateImage(item.Sequence, item.Path, item.ContentHash, item.Geometry);
                            counted[item.Path] = img;
                            images.Add(img);
                        }
                        scanned += batch.Count;
                        if (statePath is not null) ScanStateFile.Save(Snapshot(identity, store, images), statePath);
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

    /// <summary>One forward pass for every tap, one dispose scope: nothing of the batch outlives it but the store.</summary>
    private void RunBatch(TopKStore store, ImageBatch batch, int[] nodes, Device device)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var input = batch.Pixels!.to(device);
        var seqs = tensor(batch.Items.Select(i => i.Sequence).ToArray(), device: device);
        // Each tap folds into the store as soon as it is computed and is freed after: peak memory as a bare pass.
        ForwardPass.Stream(_model.Graph, input, nodes, (node, value) =>
        {
            for (int t = 0; t < Taps.Count; t++)
                if (Taps[t].Node == node) store.Update(t, value, seqs);
        });
    }

    private ScanState Snapshot(ModelIdentity identity, TopKStore store, IReadOnlyList<StateImage> images)
        => NewState(identity, images, Taps.Select((t, i) => new StateLayer(t, store.Snapshot(i))).ToList());

    private ScanState NewState(ModelIdentity identity, IReadOnlyList<StateImage> images, IReadOnlyList<StateLayer> layers)
        => new(identity, _model.Input.Width, _model.Input.Height, Options.Stage, Options.Units?.Distinct().OrderBy(u => u).ToArray(), Options.K,
            Options.AllowSameImage, Options.Shard, images, layers);
}

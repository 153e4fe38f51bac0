using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using ConvViz.Engine.Image;
using ConvViz.Engine.Models;
using ConvViz.Engine.Taps;
using ConvViz.Engine.Tensors;
using ConvViz.Engine.TopK;
using static TorchSharp.torch;

namespace ConvViz.TestKit;

/// <summary>
/// Timings for tests/Benchmarks that need tensors (PowerShell cannot name TorchSharp types).
/// Every method returns elapsed seconds of the measured part only; callers repeat and take medians.
/// </summary>
public static class BenchTimings
{
    /// <summary>
    /// The bare forward pass the scan is compared with: the same images through the same
    /// prefetcher (read, hash, decode and fit on worker threads, in ordinal path order), the
    /// same batch size, and one ForwardPass.Run of the graph output per batch; no taps, no top-k; the scan's ThreadPlan and layout.
    /// </summary>
    public static double BareForward(ConvModel model, string[] paths, int batchSize)
    {
        var requests = Ordered(paths);
        // The scan's split of the cores between libtorch and the decoders.
        var plan = ConvViz.Engine.Runtime.ThreadPlan.For(model.Device);
        using var threads = plan.Apply();
        var clock = Stopwatch.StartNew();
        using var prefetcher = new BatchPrefetcher(requests, new PrefetchOptions(batchSize, model.Input) { Workers = plan.DecodeWorkers });
        while (prefetcher.TryRead(out var batch))
        {
            using (batch)
            {
                if (batch.Count == 0) continue;
                using var scope = NewDisposeScope();
                var input = ActivationScanner.ScanLayout(batch.Pixels!.to(model.Device));
                var output = ForwardPass.Output(model.Graph, input);
                // Make sure the work is done (matters on an asynchronous device).
                _ = output.sum().item<float>();
            }
        }
        return clock.Elapsed.TotalSeconds;
    }

    /// <summary>The engine's scan alone (ActivationScanner.Scan, no cmdlet, no records), same images and batch size.</summary>
    public static double EngineScan(ConvModel model, string[] paths, int batchSize, string[] layers)
    {
        var scanner = new ActivationScanner(model, new ScanOptions { Layers = layers, BatchSize = batchSize, Device = model.DeviceName });
        var clock = Stopwatch.StartNew();
        var result = scanner.Scan(paths);
        if (result.ImagesScanned != paths.Length) throw new InvalidOperationException($"Scanned {result.ImagesScanned} of {paths.Length} images.");
        return clock.Elapsed.TotalSeconds;
    }

    /// <summary>
    /// Seconds of one forward pass (graph output) of <paramref name="batch"/> copies of an
    /// already fitted image: the median of <paramref name="repetitions"/> after one warm-up.
    /// Decoding is left out, so this is the pure compute of the model.
    /// </summary>
    public static double ForwardOnly(ConvModel model, string path, int batch, int repetitions)
    {
        var fitted = ImageFitter.Load(path, model.Input);
        using var scope = NewDisposeScope();
        var one = tensor(fitted.Pixels).reshape(1, 3, model.Input.Height, model.Input.Width);
        var input = one.expand(batch, -1, -1, -1).contiguous().to(model.Device);
        var times = new List<double>();
        for (int r = 0; r <= repetitions; r++)
        {
            using var inner = NewDisposeScope();
            var clock = Stopwatch.StartNew();
            var output = ForwardPass.Output(model.Graph, input);
            _ = output.sum().item<float>();
            if (r > 0) times.Add(clock.Elapsed.TotalSeconds);
        }
        return Median(times);
    }

    /// <summary>
    /// Where a single thread's time per image goes before the forward pass, in seconds per image
    /// (medians over the files): read+hash, ImageSharp's full JPEG decode (the old path), the
    /// engine's decode for the input (libjpeg-turbo, DCT-reduced when large), its fit, and both together.
    /// </summary>
    public static Dictionary<string, double> DecodeBreakdown(string[] paths, InputSpec spec)
    {
        var read = new List<double>(); var imageSharp = new List<double>(); var decode = new List<double>(); var fit = new List<double>(); var both = new List<double>();
        var buffer = new float[3 * spec.Width * spec.Height];
        foreach (var p in paths)
        {
            var c = Stopwatch.StartNew();
            var source = ImageSource.Read(p);
            read.Add(c.Elapsed.TotalSeconds);
            c.Restart();
            using (var old = SixLabors.ImageSharp.Image.Load<SixLabors.ImageSharp.PixelFormats.Rgb24>(source.Bytes)) { }
            imageSharp.Add(c.Elapsed.TotalSeconds);
            c.Restart();
            using (var d = ImageDecoder.DecodeFor(source, null, spec))
            {
                decode.Add(c.Elapsed.TotalSeconds);
                c.Restart();
                ImageFitter.FitInto(d, spec, buffer);
                fit.Add(c.Elapsed.TotalSeconds);
            }
            c.Restart();
            ImageFitter.LoadInto(source, spec, null, buffer);
            both.Add(c.Elapsed.TotalSeconds);
        }
        return new Dictionary<string, double>
        {
            ["readHash"] = Median(read), ["imageSharpDecode"] = Median(imageSharp), ["engineDecode"] = Median(decode),
            ["engineFit"] = Median(fit), ["engineLoad"] = Median(both),
        };
    }

    /// <summary>libtorch's intra-op thread count (process-wide); returns the previous one.</summary>
    public static int SetThreads(int intraOp)
    {
        int before = get_num_threads();
        if (intraOp > 0) set_num_threads(intraOp);
        return before;
    }

    /// <summary>
    /// Where a scan's time goes with <paramref name="workers"/> decode threads and libtorch's current
    /// intra-op threads, in seconds for the whole set: the prefetcher drained alone (read, hash,
    /// decode, fit, batch tensor), the forward passes alone on an already built batch (as many
    /// batches as the set makes, ForwardRows rows each, the scan's taps streamed but not folded
    /// into a top-k), and the engine scan itself (all of it overlapped).
    /// </summary>
    public static Dictionary<string, double> ScanBreakdown(ConvModel model, string[] paths, int batchSize, string[] layers, int workers)
    {
        var requests = Ordered(paths);
        var result = new Dictionary<string, double> { ["threads"] = get_num_threads(), ["workers"] = workers };
        var clock = Stopwatch.StartNew();
        Tensor? first = null;
        using (var prefetcher = new BatchPrefetcher(requests, new PrefetchOptions(batchSize, model.Input) { Workers = workers }))
        {
            while (prefetcher.TryRead(out var batch))
                using (batch)
                    if (first is null && batch.Count > 0) { first = batch.Pixels!.clone(); }
        }
        result["prefetch"] = clock.Elapsed.TotalSeconds;

        var scanner = new ActivationScanner(model, new ScanOptions { Layers = layers, BatchSize = batchSize, Device = model.DeviceName, DecodeWorkers = workers, Threads = get_num_threads() });
        var nodes = scanner.Taps.Select(t => t.Node).Distinct().ToArray();
        int batches = (paths.Length + batchSize - 1) / batchSize;
        using (first)
        {
            var rows = ActivationScanner.ForwardRows(batchSize, model.Device);
            using var padded = ActivationScanner.PadRows(first!, rows);
            using var input = ActivationScanner.ScanLayout(padded);
            // warm-up
            using (NewDisposeScope()) ForwardPass.Stream(model.Graph, input, nodes, (n, v) => { });
            clock.Restart();
            for (int b = 0; b < batches; b++)
            {
                using var scope = NewDisposeScope();
                ForwardPass.Stream(model.Graph, input, nodes, (n, v) => { });
            }
            result["forwardTaps"] = clock.Elapsed.TotalSeconds;
            clock.Restart();
            for (int b = 0; b < batches; b++)
            {
                using var scope = NewDisposeScope();
                _ = ForwardPass.Output(model.Graph, input).sum().item<float>();
            }
            result["forwardBare"] = clock.Elapsed.TotalSeconds;
        }
        clock.Restart();
        var r = scanner.Scan(paths);
        result["scan"] = clock.Elapsed.TotalSeconds;
        if (r.ImagesScanned != paths.Length) throw new InvalidOperationException($"Scanned {r.ImagesScanned} of {paths.Length} images.");
        return result;
    }

    /// <summary>
    /// Seconds per op kind (Conv, BatchNorm, Relu, ...) of <paramref name="repetitions"/> forward passes of
    /// <paramref name="batch"/> copies of a fitted image through the whole graph (every node, in order), medians per kind.
    /// </summary>
    public static Dictionary<string, double> ForwardByKind(ConvModel model, string path, int batch, int repetitions, bool inference)
    {
        var fitted = ImageFitter.Load(path, model.Input);
        using var scope = NewDisposeScope();
        var input = tensor(fitted.Pixels).reshape(1, 3, model.Input.Height, model.Input.Width).expand(batch, -1, -1, -1).contiguous().to(model.Device);
        var perKind = new Dictionary<string, List<double>>();
        var nodes = model.Graph.Nodes;
        for (int r = 0; r <= repetitions; r++)
        {
            using var inner = NewDisposeScope();
            using IDisposable mode = inference ? (IDisposable)inference_mode() : no_grad();
            var values = new Tensor?[nodes.Count];
            values[0] = input;
            var sums = new Dictionary<string, double>();
            var clock = new Stopwatch();
            for (int i = 1; i < nodes.Count; i++)
            {
                var node = nodes[i];
                var inputs = node.Inputs.Select(j => values[j]!).ToArray();
                clock.Restart();
                values[i] = node.Op.Forward(inputs, null, i);
                double t = clock.Elapsed.TotalSeconds;
                sums[node.Op.Kind] = sums.GetValueOrDefault(node.Op.Kind) + t;
            }
            if (r == 0) continue;
            foreach (var (k, v) in sums) { if (!perKind.TryGetValue(k, out var l)) perKind[k] = l = new(); l.Add(v); }
        }
        return perKind.ToDictionary(kv => kv.Key, kv => Median(kv.Value));
    }

    /// <summary>
    /// Median seconds of one forward pass (graph output) of <paramref name="batch"/> copies of a fitted image under
    /// variants: "nograd" (as the engine runs), "inference" (inference_mode), "channelsLast" (input in channels-last
    /// memory format, no_grad). Variants alternate within each repetition.
    /// </summary>
    public static Dictionary<string, double> ForwardVariants(ConvModel model, string path, int batch, int repetitions)
    {
        var fitted = ImageFitter.Load(path, model.Input);
        using var scope = NewDisposeScope();
        var input = tensor(fitted.Pixels).reshape(1, 3, model.Input.Height, model.Input.Width).expand(batch, -1, -1, -1).contiguous().to(model.Device);
        var last = input.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2); // NHWC strides: libtorch treats it as channels-last
        var names = new[] { "nograd", "nogradNotInPlace", "inference", "channelsLast", "channelsLastInference" };
        var times = names.ToDictionary(n => n, n => new List<double>());
        for (int r = 0; r <= repetitions; r++)
            foreach (var name in names)
            {
                using var inner = NewDisposeScope();
                using IDisposable mode = name.EndsWith("nference") ? (IDisposable)inference_mode() : no_grad();
                var x = name.StartsWith("channelsLast") ? last : input;
                ForwardPass.AllowInPlace = name != "nogradNotInPlace";
                var clock = Stopwatch.StartNew();
                try { _ = ForwardPass.Output(model.Graph, x).sum().item<float>(); }
                finally { ForwardPass.AllowInPlace = true; }
                if (r > 0) times[name].Add(clock.Elapsed.TotalSeconds);
            }
        return times.ToDictionary(kv => kv.Key, kv => Median(kv.Value));
    }

    /// <summary>
    /// The graph output (logits) for a batch of fitted images through ForwardPass (the scan's code path, in-place
    /// ReLU/Add included), and the fitted pixels, written as raw float32 files for an independent check in PyTorch.
    /// </summary>
    public static void WriteLogits(ConvModel model, string[] paths, string pixelsFile, string logitsFile)
    {
        using var scope = NewDisposeScope();
        var input = BenchTimings.FittedBatch(model, BenchTimings.Fit(model, paths));
        var output = ForwardPass.Output(model.Graph, input);
        File.WriteAllBytes(pixelsFile, System.Runtime.InteropServices.MemoryMarshal.AsBytes(input.cpu().contiguous().data<float>().ToArray().AsSpan()).ToArray());
        File.WriteAllBytes(logitsFile, System.Runtime.InteropServices.MemoryMarshal.AsBytes(output.cpu().contiguous().data<float>().ToArray().AsSpan()).ToArray());
    }

    /// <summary>Each image decoded and fitted to the model's input, as C x H x W planes.</summary>
    internal static float[][] Fit(ConvModel model, string[] paths)
        => paths.Select(p => ImageFitter.Load(p, model.Input).Pixels).ToArray();

    /// <summary>Fitted planes as one N x C x H x W batch on the model's device.</summary>
    internal static Tensor FittedBatch(ConvModel model, float[][] planes)
        => stack(planes.Select(p => tensor(p).reshape(3, model.Input.Height, model.Input.Width)).ToArray()).to(model.Device);

    /// <summary>This process's peak resident set (VmHWM) in bytes; -1 where /proc is missing.</summary>
    public static long PeakResidentBytes()
    {
        const string status = "/proc/self/status";
        if (!File.Exists(status)) return Process.GetCurrentProcess().PeakWorkingSet64;
        foreach (var line in File.ReadLines(status))
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
        return -1;
    }

    public static double Median(IReadOnlyList<double> values)
    {
        var s = values.OrderBy(v => v).ToArray();
        if (s.Length == 0) return double.NaN;
        return s.Length % 2 == 1 ? s[s.Length / 2] : (s[s.Length / 2 - 1] + s[s.Length / 2]) / 2;
    }

    // The scan's order: ordinal full path, numbered from 0.
    private static List<ImageRequest> Ordered(string[] paths)
        => paths.Select(Path.GetFullPath).Distinct(StringComparer.Ordinal).OrderBy(p => p, StringComparer.Ordinal)
            .Select((p, i) => new ImageRequest(i, p)).ToList();
}

/// <summary>Projection timings below the cmdlets, to tune BatchProjector's chunk size.</summary>
public static class BenchProjection
{
    /// <summary>
    /// Seconds to project units 0..units-1 of <paramref name="layer"/> at their strongest
    /// position in each of the images (images x units targets) in chunks of <paramref name="chunk"/>.
    /// </summary>
    public static double Project(ConvModel model, string[] paths, string layer, int units, int chunk, bool windowed = true)
    {
        using var scope = NewDisposeScope();
        var input = BenchTimings.FittedBatch(model, BenchTimings.Fit(model, paths));
        int node = model.Layers.Get(layer).NodeFor(Stage.Activation);
        var targets = new List<ConvViz.Engine.Projection.ProjectionTarget>();
        for (int i = 0; i < paths.Length; i++)
            for (int u = 0; u < units; u++) targets.Add(new ConvViz.Engine.Projection.ProjectionTarget(i, node, u, -1, -1, false));
        var clock = Stopwatch.StartNew();
        _ = ConvViz.Engine.Projection.BatchProjector.ProjectActivations(model, input, targets, _ => new[] { ConvViz.Engine.Graph.ProjectionRule.Deconvnet }, chunk, windowed);
        return clock.Elapsed.TotalSeconds;
    }

    /// <summary>
    /// Where a projection chunk's time goes: median seconds of decode-and-fit, the forward pass with switches to
    /// <paramref name="layer"/>, the same pass without a tape, and the way down (Deconvnet, windowed), for one
    /// target per image (unit i mod 64 at its strongest position).
    /// </summary>
    public static Dictionary<string, double> Breakdown(ConvModel model, string[] paths, string layer, int repetitions)
    {
        var names = new[] { "fit", "forwardTape", "forwardBare", "forwardBareChannelsLast", "wayDown", "total" };
        var times = names.ToDictionary(n => n, n => new List<double>());
        int node = model.Layers.Get(layer).NodeFor(Stage.Activation);
        var targets = Enumerable.Range(0, paths.Length).Select(i => new ConvViz.Engine.Projection.ProjectionTarget(i, node, i % 64, -1, -1, false)).ToArray();
        for (int r = 0; r <= repetitions; r++)
        {
            using var scope = NewDisposeScope();
            var clock = Stopwatch.StartNew();
            var planes = BenchTimings.Fit(model, paths);
            double fit = clock.Elapsed.TotalSeconds;
            var input = BenchTimings.FittedBatch(model, planes);
            clock.Restart();
            using (NewDisposeScope()) _ = ForwardPass.Run(model.Graph, input, new[] { node })[node].sum().item<float>();
            double bare = clock.Elapsed.TotalSeconds;
            clock.Restart();
            using (NewDisposeScope()) _ = ForwardPass.Run(model.Graph, MemoryLayout.ChannelsLast(input), new[] { node })[node].sum().item<float>();
            double last = clock.Elapsed.TotalSeconds;
            clock.Restart();
            using (NewDisposeScope()) using (var tape = new ConvViz.Engine.Graph.SwitchTape()) _ = ForwardPass.Run(model.Graph, input, new[] { node }, tape)[node].sum().item<float>();
            double taped = clock.Elapsed.TotalSeconds;
            clock.Restart();
            _ = ConvViz.Engine.Projection.BatchProjector.ProjectActivations(model, input, targets, _ => new[] { ConvViz.Engine.Graph.ProjectionRule.Deconvnet }, 32, true);
            double total = clock.Elapsed.TotalSeconds;
            if (r == 0) continue;
            times["fit"].Add(fit); times["forwardTape"].Add(taped); times["forwardBare"].Add(bare);
            times["forwardBareChannelsLast"].Add(last); times["total"].Add(total); times["wayDown"].Add(total - taped);
        }
        return times.ToDictionary(kv => kv.Key, kv => BenchTimings.Median(kv.Value));
    }
}

using System.Collections.Generic;
using ConvViz.Engine.Image;
using ConvViz.Engine.Models;

namespace ConvViz.Engine.TopK;

/// <summary>What an <see cref="ActivationScanner"/> looks for and how.</summary>
public sealed record ScanOptions
{
    /// <summary>Layer names, aliases or wildcards (LayerTable.Resolve); "*" is every conv layer.</summary>
    public IReadOnlyList<string> Layers { get; init; } = new[] { "*" };
    public Stage Stage { get; init; } = Stage.Activation;
    /// <summary>Channel indices to keep in every layer; null = all. Out of range for any layer is an error.</summary>
    public IReadOnlyList<int>? Units { get; init; }
    /// <summary>Patches kept per unit (the paper shows 9).</summary>
    public int K { get; init; } = 9;
    public int BatchSize { get; init; } = 16;
    /// <summary>"cpu", "cuda", "cuda:N" or "auto" (Runtime.Devices).</summary>
    public string Device { get; init; } = "cpu";
    /// <summary>Keep several patches of one image (at distinct positions) instead of only its strongest.</summary>
    public bool AllowSameImage { get; init; }
    public ShardSpec? Shard { get; init; }
    /// <summary>Scan state file: resumed from when it exists, rewritten atomically at every checkpoint.</summary>
    public string? StatePath { get; init; }
    /// <summary>
    /// Seconds between checkpoints of the state file (and at the end); 0 = after every batch.
    /// Checkpoints are also spaced to at least 20 times the last one's duration, so writing
    /// the state takes at most about 5% of a scan and the total written grows linearly.
    /// </summary>
    public double CheckpointSeconds { get; init; } = 30;
    public ImageDecodeOptions Decode { get; init; } = ImageDecodeOptions.Default;
    /// <summary>Decoding threads; 0 = automatic (<see cref="Runtime.ThreadPlan"/>: one per core).</summary>
    public int DecodeWorkers { get; init; }
    /// <summary>libtorch intra-op threads during the scan on the CPU; 0 = automatic (<see cref="Runtime.ThreadPlan"/>: OMP_NUM_THREADS when set, else every core).</summary>
    public int Threads { get; init; }
}

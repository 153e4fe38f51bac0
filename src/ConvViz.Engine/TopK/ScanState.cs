using System;
using System.Collections.Generic;
using System.Linq;
using ConvViz.Engine.Models;

namespace ConvViz.Engine.TopK;

/// <summary>
/// Everything a scan has established: which scan it is (model, layers, stage, units, k,
/// AllowSameImage, shard), every image counted, and the running top-k per layer. Saved as a
/// versioned JSON file (docs/state-format.md), resumed from, and merged across shards.
///
/// Sequence numbers only ever need to agree with the ordinal order of full paths: a scan
/// numbers its images by their rank in its own sorted path list, so "sequence ascending" and
/// "path ascending" are the same tie-break in every run, shard and merge.
/// </summary>
public sealed partial class ScanState
{
    public const int FormatVersion = 2;
    public const string FormatName = "ConvViz.TopKScanState";

    public ScanState(ModelIdentity model, int inputWidth, int inputHeight, Stage stage, IReadOnlyList<int>? units, int k, bool allowSameImage,
        ShardSpec? shard, IReadOnlyList<StateImage> images, IReadOnlyList<StateLayer> layers)
    {
        Model = model; InputWidth = inputWidth; InputHeight = inputHeight; Stage = stage; Units = units; K = k;
        AllowSameImage = allowSameImage; Shard = shard; Images = images; Layers = layers;
    }

    public ModelIdentity Model { get; }
    public int InputWidth { get; }
    public int InputHeight { get; }
    public Stage Stage { get; }
    /// <summary>The units asked for (null = all).</summary>
    public IReadOnlyList<int>? Units { get; }
    public int K { get; }
    public bool AllowSameImage { get; }
    public ShardSpec? Shard { get; }
    public IReadOnlyList<StateImage> Images { get; }
    public IReadOnlyList<StateLayer> Layers { get; }
    /// <summary>The file this state was loaded from, for messages; null for one built in memory.</summary>
    public string? SourcePath { get; internal set; }

    internal string Label => SourcePath ?? "(in memory)";

    /// <summary>
    /// The same state with images numbered 0..N-1 by ordinal full path, so that a single run, a
    /// resumed run and a shard merge report identical sequence numbers.
    /// </summary>
    public ScanState Canonical()
    {
        var ordered = Images.OrderBy(i => i.Path, StringComparer.Ordinal).ToList();
        var remap = new Dictionary<long, long>(ordered.Count);
        for (int i = 0; i < ordered.Count; i++) remap[ordered[i].Sequence] = i;
        var images = ordered.Select((img, i) => img with { Sequence = i }).ToList();
        var layers = Layers.Select(l => l with { Table = l.Table with { Sequences = l.Table.Sequences.Select(s => remap[s]).ToArray() } }).ToList();
        return new ScanState(Model, InputWidth, InputHeight, Stage, Units, K, AllowSameImage, Shard, images, layers) { SourcePath = SourcePath };
    }

    /// <summary>The top-k as records, ordered by layer (forward order), unit, rank.</summary>
    public IReadOnlyList<TopActivation> ToActivations()
    {
        var bySeq = Images.ToDictionary(i => i.Sequence);
        var result = new List<TopActivation>();
        foreach (var layer in Layers)
        {
            var tap = layer.Tap;
            var t = layer.Table;
            for (int u = 0; u < t.UnitCount; u++)
            {
                for (int r = 0; r < t.Rows; r++)
                {
                    int at = r * t.UnitCount + u;
                    if (!bySeq.TryGetValue(t.Sequences[at], out var image))
                        throw new ScanStateException(Label, $"layer '{tap.Layer}' refers to image sequence {t.Sequences[at]}, which is not in the image list.");
                    long pos = t.Positions[at];
                    int y = (int)(pos / tap.Width), x = (int)(pos % tap.Width);
                    var inputBox = tap.Field.BoxOf(y, x, InputHeight, InputWidth);
                    result.Add(new TopActivation(tap.Layer, tap.Units[u], r + 1, t.Values[at], image.Path, image.ContentHash, image.Sequence,
                        y, x, inputBox, image.Geometry.ToOriginal(inputBox)));
                }
            }
        }
        return result;
    }

    /// <summary>Throws when <paramref name="other"/> was made by a different scan (model, layers, stage, units, k, mode).</summary>
    public void EnsureSameScan(ScanState other, string otherLabel)
    {
        string? why = null;
        if (other.Model.WeightsSha256 != Model.WeightsSha256 || other.Model.Name != Model.Name)
            why = $"it is for model '{other.Model.Name}' ({other.Model.Source}, weights {Short(other.Model.WeightsSha256)}), not '{Model.Name}' ({Model.Source}, weights {Short(Model.WeightsSha256)})";
        else if (other.InputWidth != InputWidth || other.InputHeight != InputHeight)
            why = $"its input is {other.InputWidth}x{other.InputHeight}, not {InputWidth}x{InputHeight}";
        else if (!other.Layers.Select(l => l.Tap.Layer).SequenceEqual(Layers.Select(l => l.Tap.Layer)))
            why = $"it covers layers {string.Join(",", other.Layers.Select(l => l.Tap.Layer))}, not {string.Join(",", Layers.Select(l => l.Tap.Layer))}";
        else if (other.Stage != Stage) why = $"its stage is {other.Stage}, not {Stage}";
        else if (!SameUnits(other.Units, Units)) why = $"its units are {UnitsText(other.Units)}, not {UnitsText(Units)}";
        else if (other.K != K) why = $"it keeps the top {other.K}, not {K}";
        else if (other.AllowSameImage != AllowSameImage) why = $"AllowSameImage is {other.AllowSameImage}, not {AllowSameImage}";
        else
        {
            for (int i = 0; i < Layers.Count && why is null; i++)
            {
                var a = Layers[i].Tap; var b = other.Layers[i].Tap;
                if (a.Node != b.Node || a.Channels != b.Channels || a.Height != b.Height || a.Width != b.Width || !a.Units.SequenceEqual(b.Units))
                    why = $"layer '{a.Layer}' has a different shape or node";
            }
        }
        if (why is not null) throw new ScanStateException(otherLabel, why + ".");
    }

    private static bool SameUnits(IReadOnlyList<int>? a, IReadOnlyList<int>? b)
        => a is null ? b is null : b is not null && a.SequenceEqual(b);

    private static string UnitsText(IReadOnlyList<int>? u) => u is null ? "all" : string.Join(",", u);
    private static string Short(string hash) => hash.Length > 12 ? hash[..12] : hash;
}

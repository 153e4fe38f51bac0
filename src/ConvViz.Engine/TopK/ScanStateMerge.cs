using System;
using System.Collections.Generic;
using System.Linq;

namespace ConvViz.Engine.TopK;

/// <summary>
/// Combines shard states into the state one run over all their images gives. The top-k
/// under a strict total order is the top-k of the union of per-part top-ks, and the order
/// (value descending, path ascending via renumbered sequences, position ascending) is the
/// one <see cref="TopKStore"/> uses, so the merge is exact.
/// </summary>
public sealed partial class ScanState
{
    public static ScanState Merge(IReadOnlyList<ScanState> states)
    {
        if (states.Count == 0) throw new ArgumentException("Nothing to merge: no scan states given.");
        var first = states[0];
        foreach (var s in states.Skip(1)) first.EnsureSameScan(s, s.Label);

        // Union of images; the same path in two states would count it twice.
        var owner = new Dictionary<string, (ScanState State, StateImage Image)>(StringComparer.Ordinal);
        foreach (var s in states)
            foreach (var img in s.Images)
                if (!owner.TryAdd(img.Path, (s, img)))
                    throw new ScanStateException(s.Label, $"image '{img.Path}' was also counted in '{owner[img.Path].State.Label}'; shards must not overlap (was the same state given twice?).");

        var ordered = owner.Values.Select(v => v.Image).OrderBy(i => i.Path, StringComparer.Ordinal).ToList();
        var rank = new Dictionary<string, long>(ordered.Count, StringComparer.Ordinal);
        for (int i = 0; i < ordered.Count; i++) rank[ordered[i].Path] = i;
        var images = ordered.Select((img, i) => img with { Sequence = i }).ToList();

        var layers = new List<StateLayer>(first.Layers.Count);
        for (int li = 0; li < first.Layers.Count; li++)
        {
            var tap = first.Layers[li].Tap;
            int units = tap.Units.Count;
            var perUnit = new List<(float Value, long Seq, long Pos)>[units];
            for (int u = 0; u < units; u++) perUnit[u] = new();
            foreach (var s in states)
            {
                var seqToPath = s.Images.ToDictionary(i => i.Sequence, i => i.Path);
                var t = s.Layers[li].Table;
                for (int r = 0; r < t.Rows; r++)
                    for (int u = 0; u < units; u++)
                    {
                        int at = r * units + u;
                        perUnit[u].Add((t.Values[at], rank[seqToPath[t.Sequences[at]]], t.Positions[at]));
                    }
            }
            int rows = perUnit.Length == 0 ? 0 : perUnit.Max(p => Math.Min(p.Count, first.K));
            var values = new float[rows * units];
            var seqs = new long[rows * units];
            var positions = new long[rows * units];
            for (int u = 0; u < units; u++)
            {
                var list = perUnit[u];
                list.Sort(TopKOrder.Compare);
                if (list.Count < rows) throw new ScanStateException(first.Label, $"layer '{tap.Layer}' has unequal rank counts across units.");
                for (int r = 0; r < rows; r++)
                {
                    values[r * units + u] = list[r].Value;
                    seqs[r * units + u] = list[r].Seq;
                    positions[r * units + u] = list[r].Pos;
                }
            }
            layers.Add(new StateLayer(tap, new TopKTable(rows, units, values, seqs, positions)));
        }
        return new ScanState(first.Model, first.InputWidth, first.InputHeight, first.Stage, first.Units, first.K, first.AllowSameImage,
            shard: null, images, layers);
    }
}

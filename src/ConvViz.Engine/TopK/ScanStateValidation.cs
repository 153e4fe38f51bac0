using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace ConvViz.Engine.TopK;

/// <summary>
/// What a scan state must mean, checked on every load (after the checksum) and before every
/// save: a state that breaks any rule was not written by a scan, and resuming from it would
/// give a silently wrong top-k. The rules follow from how a scan fills the state:
/// <list type="bullet">
/// <item>hashes are 64 lower-case hex digits; paths are full paths; a shard holds only its own paths;</item>
/// <item>every image's fitting ends at the state's input size;</item>
/// <item>each unit's ranks are in strictly decreasing order (<see cref="TopKOrder"/>), with finite values;</item>
/// <item>one image at most once per unit (once per position with AllowSameImage);</item>
/// <item>every image counted is a candidate for every unit, so each unit holds min(k, candidates) ranks.</item>
/// </list>
/// </summary>
public static class ScanStateValidation
{
    /// <summary>Activations at or above this magnitude mean the network has overflowed; no state keeps them.</summary>
    public const float MaxMagnitude = 1e30f;

    public static bool IsSha256(string? s)
        => s is { Length: 64 } && s.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f');

    /// <summary>Throws <see cref="ScanStateException"/> naming the first broken rule.</summary>
    public static void Validate(ScanState s, string path, bool writing)
    {
        ScanStateException Bad(string why) => new(path, writing ? "the scan produced a state that cannot be saved: " + why : why);

        if (!IsSha256(s.Model.WeightsSha256)) throw Bad("the model's weight hash is not 64 lower-case hex digits.");
        if (s.K < 1 || s.K > 10000) throw Bad($"k = {s.K} is outside 1..10000.");
        if (s.Units is { } asked && !StrictlyAscending(asked)) throw Bad("the unit list is not ascending without repeats.");

        var bySeq = new Dictionary<long, StateImage>(s.Images.Count);
        foreach (var i in s.Images)
        {
            if (i.Sequence < 0) throw Bad($"image '{i.Path}' has a negative sequence number {i.Sequence}.");
            if (!bySeq.TryAdd(i.Sequence, i)) throw Bad($"image sequence {i.Sequence} appears twice.");
            if (string.IsNullOrEmpty(i.Path) || i.Path.Contains('\0') || !Path.IsPathFullyQualified(i.Path))
                throw Bad($"image path '{i.Path}' is not a full path.");
            if (!IsSha256(i.ContentHash)) throw Bad($"image '{i.Path}' has a content hash that is not 64 lower-case hex digits.");
            var g = i.Geometry;
            if (g.OriginalWidth < 1 || g.OriginalHeight < 1 || g.ResizedWidth < 1 || g.ResizedHeight < 1 || g.CropLeft < 0 || g.CropTop < 0
                || g.InputWidth != s.InputWidth || g.InputHeight != s.InputHeight)
                throw Bad($"image '{i.Path}' has an invalid geometry.");
            if (s.Shard is { } shard && !shard.Contains(i.Path)) throw Bad($"image '{i.Path}' does not belong to shard {shard}.");
        }

        foreach (var layer in s.Layers)
        {
            var tap = layer.Tap;
            var t = layer.Table;
            string name = tap.Layer;
            if (tap.Channels < 1 || tap.Height < 1 || tap.Width < 1) throw Bad($"layer '{name}' has an empty shape.");
            if (!StrictlyAscending(tap.Units) || tap.Units.Any(u => u < 0 || u >= tap.Channels))
                throw Bad($"layer '{name}' lists units that are not ascending within 0..{tap.Channels - 1}.");
            if (s.Units is { } wanted && !wanted.SequenceEqual(tap.Units)) throw Bad($"layer '{name}' keeps other units than the scan asked for.");
            int u = tap.Units.Count;
            if (t.UnitCount != u || t.Values.Length != (long)t.Rows * u || t.Sequences.Length != t.Values.Length || t.Positions.Length != t.Values.Length)
                throw Bad($"layer '{name}' has {t.Values.Length} values for {t.Rows} ranks of {u} units.");
            long positions = (long)tap.Height * tap.Width;
            long candidates = s.AllowSameImage ? s.Images.Count * positions : s.Images.Count;
            long rows = Math.Min(s.K, candidates);
            if (t.Rows != rows)
                throw Bad($"layer '{name}' holds {t.Rows} ranks per unit, but {s.Images.Count} images give {rows} (k = {s.K}).");
            for (int c = 0; c < u; c++)
            {
                var seen = new HashSet<(long, long)>();
                for (int r = 0; r < t.Rows; r++)
                {
                    int at = r * u + c;
                    float v = t.Values[at];
                    long seq = t.Sequences[at], pos = t.Positions[at];
                    string where = $"layer '{name}' unit {tap.Units[c]} rank {r + 1}";
                    if (!float.IsFinite(v) || Math.Abs(v) >= MaxMagnitude) throw Bad($"{where} has the value {v:R}, which is not a finite activation below {MaxMagnitude:R} in magnitude.");
                    if (!bySeq.ContainsKey(seq)) throw Bad($"{where} refers to image sequence {seq}, which is not in the image list.");
                    if (pos < 0 || pos >= positions) throw Bad($"{where} has a position outside its {tap.Height}x{tap.Width} map.");
                    if (!seen.Add((seq, s.AllowSameImage ? pos : 0)))
                        throw Bad($"{where} repeats image '{bySeq[seq].Path}'{(s.AllowSameImage ? " at the same position" : "")}; a unit's top-k holds each image once{(s.AllowSameImage ? " per position" : " (unless AllowSameImage)")}.");
                    if (r > 0)
                    {
                        int prev = at - u;
                        if (TopKOrder.Compare((t.Values[prev], t.Sequences[prev], t.Positions[prev]), (v, seq, pos)) >= 0)
                            throw Bad($"{where} is not below rank {r} (value, then image, then position order).");
                    }
                }
            }
        }
    }

    private static bool StrictlyAscending(IReadOnlyList<int> list)
    {
        for (int i = 1; i < list.Count; i++) if (list[i - 1] >= list[i]) return false;
        return true;
    }
}

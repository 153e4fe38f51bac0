using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ConvViz.Engine.Image;
using ConvViz.Engine.Models;
using ConvViz.Engine.Taps;
using ConvViz.Engine.TopK;
using static TorchSharp.torch;

namespace ConvViz.TestKit;

/// <summary>
/// Brute force for the streaming top-k: each image alone, the full activation tensor copied
/// out, every candidate kept in managed lists and sorted at the end. Written without the
/// engine's TopK code, so it checks it. For small corpora only. The image is the first row of
/// an otherwise zero batch with as many rows as a scan at <c>batchSize</c> runs
/// (ActivationScanner.ForwardRows): libtorch's kernels depend on the row count (last-bit
/// differences), so only the same row count gives the same bits; and it runs with the scan's libtorch
/// thread count (<c>ThreadPlan</c>) and memory layout (<c>ActivationScanner.ScanLayout</c>).
/// Order: value descending, then full path (ordinal) ascending, then y*W+x ascending.
/// </summary>
public static class TopKReference
{
    public static ReferenceEntry[] Compute(ConvModel model, string[] imagePaths, string[] layers, int k,
        string stage = "Activation", bool allowSameImage = false, int[]? units = null, int batchSize = 1)
    {
        // The scan's intra-op thread count (ThreadPlan), and with it ForwardRows: the same geometry, the same bits.
        using var threads = ConvViz.Engine.Runtime.ThreadPlan.For(model.Device).Apply();
        var st = Enum.Parse<Stage>(stage, ignoreCase: true);
        var specs = model.Layers.Resolve(layers);
        var paths = imagePaths.Select(Path.GetFullPath).Distinct(StringComparer.Ordinal).OrderBy(p => p, StringComparer.Ordinal).ToArray();
        var nodes = specs.Select(s => s.NodeFor(st)).ToArray();
        // candidates[layer][unit] = (value, path index, position)
        var candidates = specs.Select(s => new List<(float V, int P, int Pos)>[ChannelsOf(model, s.NodeFor(st))]).ToArray();
        foreach (var perLayer in candidates) for (int u = 0; u < perLayer.Length; u++) perLayer[u] = new();

        for (int pi = 0; pi < paths.Length; pi++)
        {
            FittedImage fitted;
            try
            {
                fitted = ImageFitter.Load(paths[pi], model.Input);
            }
            catch (ImageReadException) { continue; }
            using var scope = NewDisposeScope();
            var input = zeros(new long[] { ActivationScanner.ForwardRows(batchSize, model.Device), 3, model.Input.Height, model.Input.Width });
            input[0] = tensor(fitted.Pixels, new long[] { 3, model.Input.Height, model.Input.Width });
            var outs = ForwardPass.Run(model.Graph, ActivationScanner.ScanLayout(input.to(model.Device)), nodes.Distinct().ToArray());
            for (int li = 0; li < specs.Count; li++)
            {
                var a = outs[nodes[li]][0].unsqueeze(0);
                long c = a.shape[1];
                long hw = a.numel() / c;
                var data = a.cpu().contiguous().data<float>().ToArray();
                for (int u = 0; u < c; u++)
                {
                    if (allowSameImage)
                    {
                        for (int p = 0; p < hw; p++) candidates[li][u].Add((data[u * hw + p], pi, p));
                    }
                    else
                    {
                        int best = 0;
                        for (int p = 1; p < hw; p++) if (data[u * hw + p] > data[u * hw + best]) best = p;
                        candidates[li][u].Add((data[u * hw + best], pi, best));
                    }
                }
            }
        }

        var result = new List<ReferenceEntry>();
        for (int li = 0; li < specs.Count; li++)
        {
            var width = (int)(model.Graph.ShapeOf(nodes[li]) is { Length: 3 } s3 ? s3[2] : 1);
            var unitList = units ?? Enumerable.Range(0, candidates[li].Length).ToArray();
            foreach (var u in unitList.Distinct().OrderBy(x => x))
            {
                var sorted = candidates[li][u].ToArray();
                Array.Sort(sorted, (a, b) => a.V != b.V ? b.V.CompareTo(a.V) : a.P != b.P ? a.P.CompareTo(b.P) : a.Pos.CompareTo(b.Pos));
                for (int r = 0; r < Math.Min(k, sorted.Length); r++)
                    result.Add(new ReferenceEntry(specs[li].Name, u, r + 1, sorted[r].V, paths[sorted[r].P], sorted[r].Pos / width, sorted[r].Pos % width));
            }
        }
        return result.ToArray();
    }

    private static int ChannelsOf(ConvModel model, int node) => (int)model.Graph.ShapeOf(node)[0];
}

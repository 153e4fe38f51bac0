using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using ConvViz.Engine.Graph;
using ConvViz.Engine.Graph.Ops;

namespace ConvViz.Engine.Import;

/// <summary>A residual block found in an imported graph: its sum, its output and the nodes it owns.</summary>
internal sealed record ResidualBlock(string Name, int Add, int Output, IReadOnlySet<int> Nodes, bool HasShortcutConv);

/// <summary>A run of residual blocks (torchvision's layer1 ... layer4).</summary>
internal sealed record ResidualStage(string Name, IReadOnlyList<ResidualBlock> Blocks);

/// <summary>
/// Positional, torchvision-style names for an imported graph's convs, linears, blocks and
/// stages. Exporters such as CNTK name nodes by counter (Convolution249, Plus267), which say
/// nothing about where a layer sits; these names do.
///
/// A residual block is an Add of two branches that both hold model values. Its input is the
/// latest node both branches descend from; the branch with more convs is the main path
/// (conv1, conv2, ...), a conv on the other branch is the projection shortcut
/// ("downsample"). A block with a shortcut conv starts a new stage, as in torchvision's
/// ResNets. Convs before the first block are the stem (conv1, ...), linears are fc (fc1, ...
/// when there are several). Graphs without residual blocks, or whose sums do not form
/// disjoint blocks, get plain conv1..convN and fc1..fcM.
/// </summary>
internal sealed class ReadableLayerNames
{
    private static readonly HashSet<string> GeneratorWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "convolution", "conv", "conv2d", "plus", "add", "sum", "pooling", "maxpool", "averagepool", "avgpool", "gemm", "matmul",
        "times", "dense", "batchnormalization", "batchnorm", "relu", "node", "linear", "fc",
    };
    // Long counters (Convolution249) or an underscore before the counter (Conv_0, conv2d_3).
    private static readonly Regex Counter = new(@"^(?<stem>[A-Za-z][A-Za-z]*?(2d)?)(_(?<num>\d+)|(?<num>\d{2,}))(_Output_0)?$", RegexOptions.CultureInvariant);

    public Dictionary<int, string> Layers { get; } = new();
    public List<ResidualBlock> Blocks { get; } = new();
    public List<ResidualStage> Stages { get; } = new();

    /// <summary>True when most conv, linear and residual-sum names in the graph are counters rather than meaningful names.</summary>
    public static bool IsMachineNamed(ConvGraph graph)
    {
        var names = graph.Nodes.Where(n => n.Op is Conv2dOp or LinearOp or AddOp).Select(n => IsMachineMade(n.Name, n.Op.Kind)).ToList();
        return names.Count > 0 && names.Count(m => m) * 2 > names.Count;
    }

    public static bool IsMachineMade(string name, string kind)
    {
        if (name.Length == 0 || name.All(char.IsDigit)) return true;
        var m = Counter.Match(name);
        if (!m.Success) return false;
        var stem = m.Groups["stem"].Value;
        return GeneratorWords.Contains(stem) || string.Equals(stem, kind, StringComparison.OrdinalIgnoreCase);
    }

    public static ReadableLayerNames For(ConvGraph graph)
    {
        var names = new ReadableLayerNames();
        if (!names.TryResidual(graph))
        {
            names.Layers.Clear(); names.Blocks.Clear(); names.Stages.Clear();
            names.Plain(graph);
        }
        return names;
    }

    private void Plain(ConvGraph graph)
    {
        int conv = 0, fc = 0;
        foreach (var n in graph.Nodes)
        {
            if (n.Op is Conv2dOp) Layers[n.Index] = $"conv{++conv}";
            else if (n.Op is LinearOp) Layers[n.Index] = $"fc{++fc}";
        }
    }

    private bool TryResidual(ConvGraph graph)
    {
        var adds = graph.Nodes.Where(n => n.Op is AddOp && n.Inputs.Length >= 2).ToList();
        if (adds.Count == 0) return false;
        var ancestors = new Dictionary<int, HashSet<int>>();
        HashSet<int> Up(int node)
        {
            if (ancestors.TryGetValue(node, out var set)) return set;
            set = new HashSet<int>();
            var stack = new Stack<int>(); stack.Push(node);
            while (stack.Count > 0)
            {
                int i = stack.Pop();
                if (!set.Add(i)) continue;
                foreach (var j in graph.Nodes[i].Inputs) stack.Push(j);
            }
            return ancestors[node] = set;
        }

        var owned = new HashSet<int>();
        var found = new List<(int Add, int Input, List<int> Main, List<int> Shortcut, HashSet<int> Nodes, int Output)>();
        foreach (var add in adds)
        {
            var common = new HashSet<int>(Up(add.Inputs[0]));
            foreach (var j in add.Inputs.Skip(1)) common.IntersectWith(Up(j));
            if (common.Count == 0) return false;
            int input = common.Max();
            var before = Up(input);
            var branches = add.Inputs
                .Select(j => Up(j).Where(i => !before.Contains(i)).Where(i => graph.Nodes[i].Op is Conv2dOp).OrderBy(i => i).ToList())
                .OrderByDescending(b => b.Count).ToList();
            if (branches[0].Count == 0) return false;          // a sum without convs is not a block
            if (branches.Skip(1).Any(b => b.Count > 1)) return false;
            var nodes = new HashSet<int>(Up(add.Index).Where(i => !before.Contains(i)));
            int output = add.Index;
            var consumers = graph.ConsumersOf(add.Index);
            if (consumers.Count == 1 && graph.Nodes[consumers[0]].Op is ReluOp or ClipOp) output = consumers[0];
            nodes.Add(output);
            if (nodes.Overlaps(owned)) return false;           // nested or interleaved sums: not a ResNet-like chain
            owned.UnionWith(nodes);
            found.Add((add.Index, input, branches[0], branches.Skip(1).SelectMany(b => b).ToList(), nodes, output));
        }

        int stage = 0, block = 0;
        List<ResidualBlock>? current = null;
        foreach (var f in found)
        {
            if (current is null || f.Shortcut.Count > 0)
            {
                if (current is not null) Stages.Add(new ResidualStage($"layer{stage}", current));
                current = new List<ResidualBlock>();
                stage++; block = 0;
            }
            string name = $"layer{stage}.{block++}";
            for (int k = 0; k < f.Main.Count; k++) Layers[f.Main[k]] = $"{name}.conv{k + 1}";
            if (f.Shortcut.Count == 1) Layers[f.Shortcut[0]] = $"{name}.downsample";
            var rb = new ResidualBlock(name, f.Add, f.Output, f.Nodes, f.Shortcut.Count > 0);
            Blocks.Add(rb);
            current.Add(rb);
        }
        Stages.Add(new ResidualStage($"layer{stage}", current!));

        // Convs outside the blocks: the stem (and any after the last block) count on from conv1.
        int stem = 0;
        foreach (var n in graph.Nodes.Where(n => n.Op is Conv2dOp && !Layers.ContainsKey(n.Index)))
            Layers[n.Index] = $"conv{++stem}";
        var linears = graph.Nodes.Where(n => n.Op is LinearOp).ToList();
        for (int i = 0; i < linears.Count; i++) Layers[linears[i].Index] = linears.Count == 1 ? "fc" : $"fc{i + 1}";
        return true;
    }
}

using System;
using System.Collections.Generic;
using System.Linq;
using ConvViz.Engine.Graph;
using ConvViz.Engine.Graph.Ops;
using ConvViz.Engine.Models;

namespace ConvViz.Engine.Import;

/// <summary>
/// The user-facing layers of an imported graph. Every Conv is a "Conv" layer
/// (PreActivation = the conv or the batch-norm right after it, Activation = the ReLU that
/// reads that, Pooled = the max-pool that reads the activation); Gemm and MatMul are
/// "Linear" layers; residual sums are "Block"s and runs of them "Stage"s.
///
/// Naming: when the graph's own names are counters (CNTK's Convolution249), the primary
/// name is the positional one (layer1.0.conv1) and the graph's name is an alias; otherwise
/// the graph's name is primary and the positional one the alias. Either is accepted
/// wherever a layer name is. An alias that would clash with another layer's name is dropped.
/// </summary>
internal static class OnnxLayerTable
{
    public static LayerTable Build(ConvGraph graph, string modelName)
    {
        var readable = ReadableLayerNames.For(graph);
        bool machine = ReadableLayerNames.IsMachineNamed(graph);
        var drafts = new List<(int Order, string Name, string? Alias, string Kind, int Pre, int Act, int Pooled, long Parameters)>();

        // A Linear applied to the last axis of a feature map (ConvNeXt's NHWC blocks) is not a layer of
        // units: its axis 1 is height, not channels.
        foreach (var node in graph.Nodes.Where(n => n.Op is Conv2dOp || n.Op is LinearOp && graph.ShapeOf(n.Index).Length == 1))
        {
            int pre = node.Index;
            var consumers = graph.ConsumersOf(pre);
            if (consumers.Count == 1 && graph.Nodes[consumers[0]].Op is BatchNormOp) pre = consumers[0];
            int act = graph.ConsumersOf(pre).FirstOrDefault(c => IsActivation(graph, c, pre), pre);
            int pooled = act == pre ? pre : graph.ConsumersOf(act).FirstOrDefault(c => graph.Nodes[c].Op is MaxPoolOp, act);
            long parameters = node.Op.LearnableCount + (pre != node.Index ? graph.Nodes[pre].Op.LearnableCount : 0);
            var (name, alias) = Pick(node.Name, readable.Layers[node.Index], machine);
            drafts.Add((node.Index, name, alias, node.Op is Conv2dOp ? "Conv" : "Linear", pre, act, pooled, parameters));
        }
        foreach (var block in readable.Blocks)
        {
            long parameters = block.Nodes.Sum(i => graph.Nodes[i].Op.LearnableCount);
            drafts.Add((block.Output, block.Name, graph.Nodes[block.Add].Name, "Block", block.Add, block.Output, block.Output, parameters));
        }
        foreach (var stage in readable.Stages)
        {
            var last = stage.Blocks[^1];
            long parameters = stage.Blocks.Sum(b => b.Nodes.Sum(i => graph.Nodes[i].Op.LearnableCount));
            // After its last block, so a stage follows the blocks it contains in forward order.
            drafts.Add((last.Output, stage.Name, null, "Stage", last.Add, last.Output, last.Output, parameters));
        }

        var taken = new HashSet<string>(drafts.Select(d => d.Name), StringComparer.OrdinalIgnoreCase);
        var layers = new List<LayerSpec>();
        foreach (var d in drafts.OrderBy(d => d.Order).ThenBy(d => d.Kind switch { "Conv" or "Linear" => 0, "Block" => 1, _ => 2 }))
        {
            var aliases = new List<string>();
            if (d.Alias is { Length: > 0 } alias && taken.Add(alias)) aliases.Add(alias);
            layers.Add(new LayerSpec(d.Name, d.Kind, d.Pre, d.Act, d.Pooled, aliases, d.Parameters));
        }
        return new LayerTable(layers, modelName);
    }

    /// <summary>
    /// The activation of a pre-activation node: a ReLU-family op or HardSwish reading it, or a
    /// product that gates it by a value computed from it (SiLU, HardSwish at opsets below 14).
    /// </summary>
    private static bool IsActivation(ConvGraph graph, int consumer, int pre)
    {
        var node = graph.Nodes[consumer];
        return node.Op switch
        {
            ReluOp or ClipOp or HardSwishOp => true,
            MulOp { Gate: >= 0 } mul => node.Inputs[1 - mul.Gate] == pre && graph.ShapeOf(node.Inputs[mul.Gate]).SequenceEqual(graph.ShapeOf(pre)),
            _ => false,
        };
    }

    private static (string Name, string? Alias) Pick(string graphName, string readable, bool machine)
    {
        if (string.Equals(graphName, readable, StringComparison.OrdinalIgnoreCase)) return (graphName, null);
        return machine ? (readable, graphName) : (graphName, readable);
    }
}

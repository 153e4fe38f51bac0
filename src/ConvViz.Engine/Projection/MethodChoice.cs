using System.Collections.Generic;
using ConvViz.Engine.Graph;
using ConvViz.Engine.Graph.Ops;

namespace ConvViz.Engine.Projection;

/// <summary>
/// The default projection method of a unit, read from the graph below it.
/// <para><b>Deconvnet</b> (Zeiler and Fergus) when the paper's setting holds for every node from
/// the input up to and including the unit's node:</para>
/// <list type="number">
/// <item>only the paper's ops: convolution, ReLU, max-pool, LRN, fully connected, and ops that
/// only move or copy values (padding, flatten/reshape, dropout/identity, an adaptive average
/// pool whose output is its input's size), plus constant affine input normalisation before the
/// first convolution. No residual addition, concatenation, batch-norm, average pooling, other
/// activation or slicing;</item>
/// <item>when a ReLU lies strictly below the unit's node, at least one max-pool lies on the way
/// down (below the unit, or the unit's own pooled output): the deconvnet ignores the forward ReLU masks, so the max-pool switches are what make
/// its projection specific to the image.</item>
/// </list>
/// <para><b>GuidedBackprop</b> (Springenberg et al.) otherwise. On ResNet-18 (batch-norm, residual
/// additions, one max-pool) a deconvnet projection of a deep unit is exact but mostly
/// checkerboard noise; guided backpropagation shows the structure. Users override with -Method.</para>
/// </summary>
public static class MethodChoice
{
    public static ProjectionRule For(ConvGraph graph, int node) => Explain(graph, node).Rule;

    /// <summary>The rule and the reason, in words (for reports and verbose output).</summary>
    public static (ProjectionRule Rule, string Reason) Explain(ConvGraph graph, int node)
    {
        var below = Ancestry(graph, node);
        bool reluBelow = false, poolBelow = false;
        // Whether a convolution lies at or below each node (normalisation must come before the first).
        var convAtOrBelow = new bool[node + 1];
        for (int i = 0; i <= node; i++)
        {
            if (!below[i]) continue;
            var n = graph.Nodes[i];
            foreach (int j in n.Inputs) convAtOrBelow[i] |= convAtOrBelow[j];
            convAtOrBelow[i] |= n.Op is Conv2dOp;
            string? breaks = n.Op switch
            {
                InputOp or Conv2dOp or MaxPoolOp or LrnOp or LinearOp or PadOp or ReshapeOp or IdentityOp => null,
                ReluOp r => r.Slope == 0 ? null : "a leaky ReLU",
                AffineOp => convAtOrBelow[i] ? "a scaling after a convolution" : null,
                AdaptiveAvgPoolOp => n.Inputs.Length == 1 && SameShape(graph.ShapeOf(n.Inputs[0]), graph.ShapeOf(i)) ? null : "average pooling",
                AddOp => "a residual addition",
                ConcatOp => "a concatenation",
                BatchNormOp => "batch normalisation",
                AvgPoolOp => "average pooling",
                _ => $"a {n.Op.Kind} node",
            };
            if (breaks is not null)
                return (ProjectionRule.GuidedBackprop, $"GuidedBackprop: {breaks} ('{n.Name}') lies below the unit, outside the paper's setting");
            if (i != node && n.Op is ReluOp) reluBelow = true;
            if (n.Op is MaxPoolOp) poolBelow = true;   // a pooled output unpools through its own switches too
        }
        if (reluBelow && !poolBelow)
            return (ProjectionRule.GuidedBackprop, "GuidedBackprop: ReLUs but no max-pool switches lie below the unit");
        return (ProjectionRule.Deconvnet, poolBelow
            ? "Deconvnet: a plain conv/ReLU/max-pool path with max-pool switches below the unit (the paper's setting)"
            : "Deconvnet: no ReLU below the unit, so the projection is the paper's and needs no switches");
    }

    private static bool SameShape(long[] a, long[] b) => a.Length == b.Length && System.Linq.Enumerable.SequenceEqual(a, b);

    private static bool[] Ancestry(ConvGraph graph, int node)
    {
        var mark = new bool[node + 1];
        var stack = new Stack<int>();
        stack.Push(node);
        while (stack.Count > 0)
        {
            int i = stack.Pop();
            if (mark[i]) continue;
            mark[i] = true;
            foreach (int j in graph.Nodes[i].Inputs) stack.Push(j);
        }
        return mark;
    }
}

using System;
using System.Linq;
using ConvViz.Engine.Graph;
using static TorchSharp.torch;

namespace ConvViz.Engine.Projection;

/// <summary>
/// Carries a reconstruction signal from one node down to the input, op by op in reverse
/// topological order, applying each op's adjoint under the chosen rule. Where a node feeds
/// several consumers (a residual block), the signals that come back from them add up.
/// </summary>
public static class Projector
{
    /// <param name="signal">batch x shape-of-node; row r belongs to row r of the tape.</param>
    public static Tensor Project(ConvGraph graph, int node, Tensor signal, SwitchTape tape, ProjectionRule rule)
    {
        var signals = new Tensor?[node + 1];
        signals[node] = signal.alias();
        using var _ = no_grad();
        for (int i = node; i >= 1; i--)
        {
            var s = signals[i];
            if (s is null) continue;
            var n = graph.Nodes[i];
            var context = new ProjectionContext(rule, tape, i, n.Inputs.Select(graph.ShapeOf).ToArray());
            var down = n.Op.Project(s, context);
            if (down.Length != n.Inputs.Length)
                throw new InvalidOperationException($"{n.Op.Kind} node '{n.Name}' returned {down.Length} signals for {n.Inputs.Length} inputs.");
            for (int k = 0; k < down.Length; k++)
            {
                var d = down[k];
                if (d is null) continue;
                int j = n.Inputs[k];
                if (signals[j] is null) signals[j] = d;
                else { signals[j]!.add_(d); d.Dispose(); }
            }
            s.Dispose();
            signals[i] = null;
        }
        return signals[0] ?? zeros(new[] { signal.shape[0] }.Concat(graph.InputShape).ToArray(), signal.dtype, signal.device);
    }
}

using System;
using System.Linq;
using ConvViz.Engine.Graph;
using static TorchSharp.torch;

namespace ConvViz.Engine.Projection;

/// <summary>
/// Carries a reconstruction signal from one node down to the input, op by op in reverse
/// topological order, applying each op's adjoint under the chosen rule. Where a node feeds
/// several consumers (a residual block), the signals that come back from them add up.
/// A signal that starts at single positions goes down on windows (<see cref="SignalWindow"/>)
/// as long as every op on the way has a windowed adjoint; the first that has not gets the
/// whole map, and so does everything below it.
/// </summary>
public static class Projector
{
    /// <param name="signal">batch x shape-of-node; row r belongs to row r of the tape.</param>
    public static Tensor Project(ConvGraph graph, int node, Tensor signal, SwitchTape tape, ProjectionRule rule)
        => Project(graph, node, signal, null, tape, rule);

    /// <param name="signal">batch x C x window height x window width when <paramref name="window"/> is given, else batch x shape-of-node.</param>
    /// <param name="window">Where each row's signal lies in the node's map; null for whole maps.</param>
    public static Tensor Project(ConvGraph graph, int node, Tensor signal, SignalWindow? window, SwitchTape tape, ProjectionRule rule)
    {
        var signals = new Tensor?[node + 1];
        var windows = new SignalWindow?[node + 1];
        signals[node] = signal.alias();
        windows[node] = window;
        using var _ = no_grad();
        for (int i = node; i >= 1; i--)
        {
            var s = signals[i];
            if (s is null) continue;
            var n = graph.Nodes[i];
            var context = new ProjectionContext(rule, tape, i, n.Inputs.Select(graph.ShapeOf).ToArray());
            var w = windows[i];
            var windowed = w is null ? null : n.Op.ProjectWindow(s, w, context);
            if (windowed is null && w is not null)
            {
                var whole = Widen(s, w);
                s.Dispose();
                s = whole;
            }
            var down = windowed is not null
                ? windowed.Select(d => d is { } x ? (x.Signal, (SignalWindow?)x.Window) : ((Tensor, SignalWindow?)?)null).ToArray()
                : n.Op.Project(s, context).Select(d => d is null ? null : ((Tensor, SignalWindow?)?)(d, null)).ToArray();
            if (down.Length != n.Inputs.Length)
                throw new InvalidOperationException($"{n.Op.Kind} node '{n.Name}' returned {down.Length} signals for {n.Inputs.Length} inputs.");
            for (int k = 0; k < down.Length; k++)
            {
                if (down[k] is not { } d) continue;
                Accumulate(signals, windows, n.Inputs[k], d.Item1, d.Item2);
            }
            s.Dispose();
            signals[i] = null;
        }
        if (signals[0] is null)
            return zeros(new[] { signal.shape[0] }.Concat(graph.InputShape).ToArray(), signal.dtype, signal.device);
        if (windows[0] is null) return signals[0]!;
        var result = Widen(signals[0]!, windows[0]!);
        signals[0]!.Dispose();
        return result;
    }

    // The signal on the whole map of its window.
    private static Tensor Widen(Tensor s, SignalWindow w) => SignalWindow.Reframe(s, w, SignalWindow.Whole(w.Rows, w.MapHeight, w.MapWidth));

    private static void Accumulate(Tensor?[] signals, SignalWindow?[] windows, int j, Tensor d, SignalWindow? dw)
    {
        if (signals[j] is not { } existing) { signals[j] = d; windows[j] = dw; return; }
        var ew = windows[j];
        if (ew is null && dw is null) { existing.add_(d); d.Dispose(); return; }
        if (ew is not null && dw is not null && ew.SameAs(dw)) { existing.add_(d); d.Dispose(); return; }
        // Different windows: both go to the window holding them (or to the whole map), then add.
        var union = ew is not null && dw is not null ? SignalWindow.Union(ew, dw) : null;
        var some = (ew ?? dw)!;
        var target = union ?? SignalWindow.Whole(some.Rows, some.MapHeight, some.MapWidth);
        var a = ew is null ? existing.alias() : SignalWindow.Reframe(existing, ew, target);
        var b = dw is null ? d.alias() : SignalWindow.Reframe(d, dw, target);
        var sum = a.add_(b);
        // a may share existing's storage (same window): the sum is then already in it.
        signals[j] = sum;
        windows[j] = union;
        if (!ReferenceEquals(sum, existing)) existing.Dispose();
        b.Dispose();
        d.Dispose();
    }
}

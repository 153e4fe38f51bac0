using System.Collections.Generic;
using System.Linq;
using static TorchSharp.torch;

namespace ConvViz.Engine.Graph.Ops;

/// <summary>How a <see cref="ReduceOp"/> combines the values it reduces.</summary>
public enum ReduceKind { Mean, Sum, Max }

/// <summary>
/// ONNX ReduceMean, ReduceSum and ReduceMax over any non-batch axes, keepdims or not.
/// Adjoint under every rule: Sum spreads the signal over the reduced axes, Mean also divides by
/// their size, Max routes it to the recorded arg-max (the first maximum), as a max-pool switch.
/// Reducing either of the last two axes of a 4-D value takes the receptive field to the whole input.
/// </summary>
public sealed class ReduceOp : GraphOp
{
    public ReduceOp(ReduceKind reduce, long[] axes, bool keepDims)
    {
        Reduce = reduce; Axes = axes.OrderBy(a => a).ToArray(); KeepDims = keepDims;
    }

    public ReduceKind Reduce { get; }
    /// <summary>Axes counted with the batch axis, ascending, never 0.</summary>
    public long[] Axes { get; }
    public bool KeepDims { get; }
    public override string Kind => "Reduce" + Reduce;

    public override SpatialStep Spatial => Axes.Any(a => a >= 2) ? SpatialStep.Everything : SpatialStep.Pointwise;

    public override Tensor Forward(IReadOnlyList<Tensor> inputs, SwitchTape? tape, int node)
    {
        var x = inputs[0];
        switch (Reduce)
        {
            case ReduceKind.Mean: return x.mean(Axes, KeepDims);
            case ReduceKind.Sum: return x.sum(Axes, KeepDims);
        }
        // Max: move the reduced axes last, flatten them, take the arg-max there.
        using var moved = MoveLast(x);
        using var flat = moved.flatten(moved.dim() - Axes.Length);
        var (values, indices) = flat.max(-1, keepdim: false);
        using (values)
        {
            if (tape is not null) tape.Record(node, indices); else indices.Dispose();
            return values.reshape(OutShape(x.shape));
        }
    }

    public override Tensor?[] Project(Tensor signal, ProjectionContext context)
    {
        var inShape = new[] { signal.shape[0] }.Concat(context.InputShapes[0]).ToArray();
        var kept = KeepShape(inShape);
        using var g = signal.reshape(kept);
        if (Reduce != ReduceKind.Max)
        {
            long count = Axes.Aggregate(1L, (p, a) => p * inShape[a]);
            using var spread = g.expand(inShape);
            return new Tensor?[] { Reduce == ReduceKind.Mean ? spread / (double)count : spread.contiguous() };
        }
        var indices = context.Tape.Get(context.Node, "reduce-max switches");
        var others = Enumerable.Range(0, inShape.Length).Select(a => (long)a).Where(a => !Axes.Contains(a)).ToArray();
        var movedShape = others.Select(a => inShape[a]).ToArray();
        long inner = Axes.Aggregate(1L, (p, a) => p * inShape[a]);
        using var flat = zeros(movedShape.Append(inner).ToArray(), signal.dtype, signal.device);
        using var src = signal.reshape(movedShape.Append(1L).ToArray());
        flat.scatter_(-1, indices.unsqueeze(-1), src);
        using var moved = flat.reshape(movedShape.Concat(Axes.Select(a => inShape[a])).ToArray());
        // Undo MoveLast: the moved tensor's axes are others ++ Axes.
        var order = others.Concat(Axes).ToArray();
        var back = new long[order.Length];
        for (int i = 0; i < order.Length; i++) back[order[i]] = i;
        return new Tensor?[] { moved.permute(back).contiguous() };
    }

    private Tensor MoveLast(Tensor x)
    {
        var others = Enumerable.Range(0, (int)x.dim()).Select(a => (long)a).Where(a => !Axes.Contains(a));
        return x.permute(others.Concat(Axes).ToArray());
    }

    private long[] OutShape(long[] inShape)
        => KeepDims ? KeepShape(inShape) : inShape.Where((_, i) => !Axes.Contains(i)).ToArray();

    private long[] KeepShape(long[] inShape) => inShape.Select((d, i) => Axes.Contains(i) ? 1L : d).ToArray();
}

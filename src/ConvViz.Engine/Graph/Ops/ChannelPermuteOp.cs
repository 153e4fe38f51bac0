using System.Collections.Generic;
using System.Linq;
using static TorchSharp.torch;

namespace ConvViz.Engine.Graph.Ops;

/// <summary>
/// Reorders the channel axis (RGB to BGR in front of an imported model). Output channel c is
/// input channel Order[c]. Adjoint: the inverse permutation, under every rule.
/// </summary>
public sealed class ChannelPermuteOp : GraphOp
{
    public ChannelPermuteOp(long[] order)
    {
        Order = order;
        Inverse = new long[order.Length];
        for (int c = 0; c < order.Length; c++) Inverse[order[c]] = c;
    }

    public long[] Order { get; }
    public long[] Inverse { get; }
    public override string Kind => "ChannelOrder";

    public override Tensor Forward(IReadOnlyList<Tensor> inputs, SwitchTape? tape, int node)
    {
        using var index = tensor(Order, device: inputs[0].device);
        return inputs[0].index_select(1, index);
    }

    public override Tensor?[] Project(Tensor signal, ProjectionContext context)
    {
        using var index = tensor(Inverse, device: signal.device);
        return new Tensor?[] { signal.index_select(1, index) };
    }
}

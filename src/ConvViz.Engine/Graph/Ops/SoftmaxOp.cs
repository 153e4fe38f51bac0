using System.Collections.Generic;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace ConvViz.Engine.Graph.Ops;

/// <summary>Softmax along an axis. Every rule uses its exact gradient: s * (g - sum(g * s)).</summary>
public sealed class SoftmaxOp : GraphOp
{
    public SoftmaxOp(long axis) => Axis = axis;
    public long Axis { get; }
    public override string Kind => "Softmax";
    public override SpatialStep Spatial => SpatialStep.Everything;

    public override Tensor Forward(IReadOnlyList<Tensor> inputs, SwitchTape? tape, int node)
    {
        var y = F.softmax(inputs[0], Axis);
        tape?.Record(node, y.detach().clone());
        return y;
    }

    public override Tensor?[] Project(Tensor signal, ProjectionContext context)
    {
        var s = context.Tape.Get(context.Node, "softmax output");
        using var dot = (signal * s).sum(Axis, keepdim: true);
        using var diff = signal - dot;
        return new Tensor?[] { diff * s };
    }
}

using System.Collections.Generic;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace ConvViz.Engine.Graph.Ops;

/// <summary>
/// Clamp to [Min, Max] (ONNX Clip, ReLU6). Its derivative is 1 strictly inside the range and
/// 0 outside, so Gradient masks by that; where the lower bound is at or above zero the op
/// rectifies like a ReLU, so Deconvnet and GuidedBackprop rectify the signal as they do at
/// a ReLU (Guided also masks).
/// </summary>
public sealed class ClipOp : GraphOp
{
    public ClipOp(double min, double max) { Min = min; Max = max; }
    public double Min { get; }
    public double Max { get; }
    public override string Kind => Min == 0 && Max == 6 ? "ReLU6" : "Clip";

    public override Tensor Forward(IReadOnlyList<Tensor> inputs, SwitchTape? tape, int node)
    {
        var x = inputs[0];
        if (tape is not null)
        {
            using var above = x.gt(Min);
            tape.Record(node, above.logical_and(x.lt(Max)));
        }
        return x.clamp(Min, Max);
    }

    public override Tensor?[] Project(Tensor signal, ProjectionContext context)
    {
        bool rectifies = Min >= 0;
        switch (context.Rule)
        {
            case ProjectionRule.Deconvnet:
                return new Tensor?[] { rectifies ? F.relu(signal) : signal.clone() };
            case ProjectionRule.Gradient:
                return new Tensor?[] { signal * Inside(context, signal) };
            default:
                if (!rectifies) return new Tensor?[] { signal * Inside(context, signal) };
                using (var rectified = F.relu(signal))
                    return new Tensor?[] { rectified * Inside(context, signal) };
        }
    }

    private static Tensor Inside(ProjectionContext context, Tensor like)
        => context.Tape.Get(context.Node, "clip mask").to_type(like.dtype);
}

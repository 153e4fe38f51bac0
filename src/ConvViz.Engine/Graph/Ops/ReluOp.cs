using System.Collections.Generic;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace ConvViz.Engine.Graph.Ops;

/// <summary>
/// ReLU, or leaky ReLU when <see cref="Slope"/> is non-zero. This is the one place where
/// the projection rules differ: Deconvnet rectifies the signal, Gradient masks it by the
/// forward sign, GuidedBackprop does both.
/// </summary>
public sealed class ReluOp : GraphOp
{
    public ReluOp(double slope = 0) => Slope = slope;

    public double Slope { get; }
    public override string Kind => Slope == 0 ? "ReLU" : "LeakyReLU";

    public override bool FreshOutput => true;

    // relu_ runs the same kernel as relu (clamp at 0, NaN kept): identical values, no new 50 MB tensor per batch.
    public override Tensor? ForwardInPlace(IReadOnlyList<Tensor> inputs) => Slope == 0 ? inputs[0].relu_() : null;

    public override Tensor Forward(IReadOnlyList<Tensor> inputs, SwitchTape? tape, int node)
    {
        var x = inputs[0];
        var y = Slope == 0 ? F.relu(x) : F.leaky_relu(x, Slope);
        tape?.Record(node, x.gt(0));
        return y;
    }

    public override Tensor?[] Project(Tensor signal, ProjectionContext context)
    {
        switch (context.Rule)
        {
            case ProjectionRule.Deconvnet:
                return new Tensor?[] { F.relu(signal) };
            case ProjectionRule.Gradient:
                return new Tensor?[] { signal * ForwardSlope(context, signal) };
            default:
                using (var rectified = F.relu(signal))
                    return new Tensor?[] { rectified * ForwardSlope(context, signal) };
        }
    }

    public override (Tensor Signal, SignalWindow Window)?[]? ProjectWindow(Tensor signal, SignalWindow window, ProjectionContext context)
    {
        if (context.Rule == ProjectionRule.Deconvnet) return new (Tensor, SignalWindow)?[] { (F.relu(signal), window) };
        using var positive = window.Cut(context.Tape.Get(context.Node, "ReLU mask"));
        using var slope = Derivative(positive, signal);
        if (context.Rule == ProjectionRule.Gradient) return new (Tensor, SignalWindow)?[] { (signal * slope, window) };
        using var rectified = F.relu(signal);
        return new (Tensor, SignalWindow)?[] { (rectified * slope, window) };
    }

    // d relu(x)/dx: 1 where x > 0, else the slope (0 for plain ReLU).
    private Tensor ForwardSlope(ProjectionContext context, Tensor like) => Derivative(context.Tape.Get(context.Node, "ReLU mask"), like);

    private Tensor Derivative(Tensor positive, Tensor like)
    {
        return Slope == 0
            ? positive.to_type(like.dtype)
            : where(positive, 1.0f, (float)Slope).to_type(like.dtype);
    }
}

using System;
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
        => new Tensor?[] { Rectify(signal, context, mask => mask.alias()) };

    // On a window the forward signs are cut to it; the rules are the same.
    public override (Tensor Signal, SignalWindow Window)?[]? ProjectWindow(Tensor signal, SignalWindow window, ProjectionContext context)
        => new (Tensor, SignalWindow)?[] { (Rectify(signal, context, window.Cut), window) };

    // The rule: Deconvnet rectifies, Gradient multiplies by d relu(x)/dx, GuidedBackprop does both.
    private Tensor Rectify(Tensor signal, ProjectionContext context, Func<Tensor, Tensor> place)
    {
        if (context.Rule == ProjectionRule.Deconvnet) return F.relu(signal);
        using var positive = place(context.Tape.Get(context.Node, "ReLU mask"));
        // d relu(x)/dx: 1 where x > 0, else the slope (0 for plain ReLU).
        using var derivative = Slope == 0 ? positive.to_type(signal.dtype) : where(positive, 1.0f, (float)Slope).to_type(signal.dtype);
        if (context.Rule == ProjectionRule.Gradient) return signal * derivative;
        using var rectified = F.relu(signal);
        return rectified * derivative;
    }
}

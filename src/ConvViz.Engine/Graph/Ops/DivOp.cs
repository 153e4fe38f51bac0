using System.Collections.Generic;
using static TorchSharp.torch;

namespace ConvViz.Engine.Graph.Ops;

/// <summary>
/// Quotient of two model values with broadcasting (ONNX Div): the normalisation of a decomposed
/// LayerNorm, (x - mean) / sqrt(var + eps). Gradient: exact, signal / b to the numerator and
/// -signal * a / b² to the divisor. Deconvnet and GuidedBackprop: the divisor is a gate, fixed
/// at its forward value (signal / b to the numerator, nothing to the divisor).
/// </summary>
public sealed class DivOp : GraphOp
{
    public override string Kind => "Div";
    public override int Arity => 2;

    public override Tensor Forward(IReadOnlyList<Tensor> inputs, SwitchTape? tape, int node)
    {
        if (tape is not null)
        {
            tape.Record(node, 0, inputs[0].detach().clone());
            tape.Record(node, 1, inputs[1].detach().clone());
        }
        return inputs[0] / inputs[1];
    }

    public override Tensor?[] Project(Tensor signal, ProjectionContext context)
    {
        var a = context.Tape.Get(context.Node, 0, "numerator");
        var b = context.Tape.Get(context.Node, 1, "divisor");
        using var quotient = signal / b;
        var toA = ReduceTo(quotient, context.InputShapes[0]).contiguous();
        if (context.Rule != ProjectionRule.Gradient) return new Tensor?[] { toA, null };
        using var ab = quotient * a;
        using var abb = ab / b;
        using var neg = -abb;
        return new Tensor?[] { toA, ReduceTo(neg, context.InputShapes[1]).contiguous() };
    }
}

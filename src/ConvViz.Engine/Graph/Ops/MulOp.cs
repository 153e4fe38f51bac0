using System.Collections.Generic;
using static TorchSharp.torch;

namespace ConvViz.Engine.Graph.Ops;

/// <summary>
/// Product of two model values with broadcasting (ONNX Mul): squeeze-and-excitation gates,
/// SiLU / HardSwish written as x * sigmoid(x), GELU as x * (1 + erf(x / √2)) / 2.
/// Gradient: the exact product rule, signal * other operand to each input.
/// Deconvnet and GuidedBackprop: when <see cref="Gate"/> names an operand, that operand is the
/// gate; its value recorded on the forward pass acts as a fixed multiplier, as a max-pool switch
/// does: the feature operand gets signal * gate and the gate gets nothing. With no gate, both get
/// the exact product rule. The importer picks the gate (ProjectionRules.GateOf).
/// </summary>
public sealed class MulOp : GraphOp
{
    public MulOp(int gate) => Gate = gate;

    /// <summary>The gate operand's index (0 or 1), or -1 when neither is a gate.</summary>
    public int Gate { get; }
    public override string Kind => "Mul";
    public override int Arity => 2;

    public override Tensor Forward(IReadOnlyList<Tensor> inputs, SwitchTape? tape, int node)
    {
        if (tape is not null)
        {
            tape.Record(node, 0, inputs[0].detach().clone());
            tape.Record(node, 1, inputs[1].detach().clone());
        }
        return inputs[0] * inputs[1];
    }

    public override Tensor?[] Project(Tensor signal, ProjectionContext context)
    {
        var a = context.Tape.Get(context.Node, 0, "first factor");
        var b = context.Tape.Get(context.Node, 1, "second factor");
        var result = new Tensor?[2];
        bool gated = Gate >= 0 && context.Rule != ProjectionRule.Gradient;
        for (int k = 0; k < 2; k++)
        {
            if (gated && k == Gate) continue;
            using var product = signal * (k == 0 ? b : a);
            result[k] = ReduceTo(product, context.InputShapes[k]).contiguous();
        }
        return result;
    }
}

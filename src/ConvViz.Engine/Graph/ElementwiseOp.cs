using System.Collections.Generic;
using static TorchSharp.torch;

namespace ConvViz.Engine.Graph;

/// <summary>
/// A smooth (or piecewise smooth) element-wise function that is not in the ReLU family:
/// Sigmoid, HardSigmoid, HardSwish, Tanh, Erf, Pow, Sqrt. The forward pass records its input;
/// the adjoint is the exact derivative at that input under every rule (see ProjectionRules):
/// only the ReLU family differs between Deconvnet, GuidedBackprop and Gradient.
/// </summary>
public abstract class ElementwiseOp : GraphOp
{
    protected abstract Tensor Apply(Tensor x);

    /// <summary>f'(x), element-wise.</summary>
    protected abstract Tensor Derivative(Tensor x);

    public override Tensor Forward(IReadOnlyList<Tensor> inputs, SwitchTape? tape, int node)
    {
        var x = inputs[0];
        tape?.Record(node, x.detach().clone());
        return Apply(x);
    }

    public override Tensor?[] Project(Tensor signal, ProjectionContext context)
    {
        var x = context.Tape.Get(context.Node, $"{Kind} input");
        using var d = Derivative(x);
        return new Tensor?[] { signal * d };
    }
}

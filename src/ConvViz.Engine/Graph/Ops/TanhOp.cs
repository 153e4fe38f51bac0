using static TorchSharp.torch;

namespace ConvViz.Engine.Graph.Ops;

/// <summary>Hyperbolic tangent (ONNX Tanh; the tanh form of GELU). Adjoint under every rule: 1 - tanh².</summary>
public sealed class TanhOp : ElementwiseOp
{
    public override string Kind => "Tanh";
    protected override Tensor Apply(Tensor x) => x.tanh();
    protected override Tensor Derivative(Tensor x)
    {
        using var t = x.tanh();
        using var t2 = t * t;
        return 1 - t2;
    }
}

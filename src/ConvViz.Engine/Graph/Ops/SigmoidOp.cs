using static TorchSharp.torch;

namespace ConvViz.Engine.Graph.Ops;

/// <summary>Logistic sigmoid (ONNX Sigmoid). Adjoint under every rule: s (1 - s).</summary>
public sealed class SigmoidOp : ElementwiseOp
{
    public override string Kind => "Sigmoid";
    protected override Tensor Apply(Tensor x) => x.sigmoid();
    protected override Tensor Derivative(Tensor x)
    {
        using var s = x.sigmoid();
        using var one = 1 - s;
        return s * one;
    }
}

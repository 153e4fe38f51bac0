using static TorchSharp.torch;

namespace ConvViz.Engine.Graph.Ops;

/// <summary>Square root (ONNX Sqrt; the standard deviation in a decomposed LayerNorm). Adjoint under every rule: 1 / (2 √x).</summary>
public sealed class SqrtOp : ElementwiseOp
{
    public override string Kind => "Sqrt";
    protected override Tensor Apply(Tensor x) => x.sqrt();
    protected override Tensor Derivative(Tensor x)
    {
        using var r = x.sqrt();
        using var twice = r * 2;
        return twice.reciprocal();
    }
}

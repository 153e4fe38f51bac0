using System;
using static TorchSharp.torch;

namespace ConvViz.Engine.Graph.Ops;

/// <summary>Error function (ONNX Erf; PyTorch exports exact GELU as x/2 (1 + erf(x/√2))). Adjoint under every rule: 2/√π e^(-x²).</summary>
public sealed class ErfOp : ElementwiseOp
{
    public override string Kind => "Erf";
    protected override Tensor Apply(Tensor x) => x.erf();
    protected override Tensor Derivative(Tensor x)
    {
        using var sq = x * x;
        using var neg = -sq;
        using var e = neg.exp();
        return e * (2 / Math.Sqrt(Math.PI));
    }
}

using static TorchSharp.torch;

namespace ConvViz.Engine.Graph.Ops;

/// <summary>
/// x to a constant power (ONNX Pow with a constant exponent: the variance in a decomposed
/// LayerNorm, x³ in the tanh form of GELU). Adjoint under every rule: p x^(p-1).
/// </summary>
public sealed class PowOp : ElementwiseOp
{
    public PowOp(double exponent) => Exponent = exponent;
    public double Exponent { get; }
    public override string Kind => "Pow";
    protected override Tensor Apply(Tensor x) => Exponent == 2 ? x * x : x.pow(Exponent);
    protected override Tensor Derivative(Tensor x)
    {
        if (Exponent == 2) return x * 2;
        if (Exponent == 1) return ones_like(x);
        using var p = x.pow(Exponent - 1);
        return p * Exponent;
    }
}

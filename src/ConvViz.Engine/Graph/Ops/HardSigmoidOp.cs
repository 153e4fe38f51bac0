using static TorchSharp.torch;

namespace ConvViz.Engine.Graph.Ops;

/// <summary>
/// ONNX HardSigmoid: clamp(alpha x + beta, 0, 1) (PyTorch's hardsigmoid is alpha 1/6, beta 1/2).
/// Adjoint under every rule: alpha strictly inside the ramp, 0 on the flat parts.
/// </summary>
public sealed class HardSigmoidOp : ElementwiseOp
{
    public HardSigmoidOp(double alpha, double beta) { Alpha = alpha; Beta = beta; }
    public double Alpha { get; }
    public double Beta { get; }
    public override string Kind => "HardSigmoid";
    protected override Tensor Apply(Tensor x)
    {
        using var z = x * Alpha + Beta;
        return z.clamp(0, 1);
    }
    protected override Tensor Derivative(Tensor x)
    {
        using var z = x * Alpha + Beta;
        using var inside = z.gt(0).logical_and(z.lt(1));
        return inside.to_type(x.dtype) * Alpha;
    }
}

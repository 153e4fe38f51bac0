using static TorchSharp.torch;

namespace ConvViz.Engine.Graph.Ops;

/// <summary>
/// ONNX HardSwish (opset 14): x * clamp(x / 6 + 1/2, 0, 1). Not in the ReLU family: the adjoint
/// under every rule is its derivative, 0 below -3, x / 3 + 1/2 on [-3, 3], 1 above 3
/// (PyTorch's hardswish_backward at the break points).
/// </summary>
public sealed class HardSwishOp : ElementwiseOp
{
    public override string Kind => "HardSwish";
    protected override Tensor Apply(Tensor x) => TorchSharp.torch.nn.functional.hardswish(x);
    protected override Tensor Derivative(Tensor x)
    {
        using var ramp = x / 3 + 0.5;
        using var low = x.lt(-3);
        using var high = x.gt(3);
        using var zero = zeros_like(x);
        using var one = ones_like(x);
        using var upper = where(high, one, ramp);
        return where(low, zero, upper);
    }
}

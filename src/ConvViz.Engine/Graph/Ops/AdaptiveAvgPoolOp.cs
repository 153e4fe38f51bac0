using System.Collections.Generic;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace ConvViz.Engine.Graph.Ops;

/// <summary>Adaptive average pooling to a fixed size (torchvision's avgpool; ONNX GlobalAveragePool is size 1x1).</summary>
public sealed class AdaptiveAvgPoolOp : GraphOp
{
    public AdaptiveAvgPoolOp(long height, long width) { Height = height; Width = width; }

    public long Height { get; }
    public long Width { get; }
    public override string Kind => Height == 1 && Width == 1 ? "GlobalAvgPool" : "AdaptiveAvgPool";
    public override SpatialStep Spatial => Height == 1 && Width == 1 ? SpatialStep.Everything : SpatialStep.Pointwise;

    public override Tensor Forward(IReadOnlyList<Tensor> inputs, SwitchTape? tape, int node)
        => F.adaptive_avg_pool2d(inputs[0], new[] { Height, Width });

    public override Tensor?[] Project(Tensor signal, ProjectionContext context)
    {
        var s = context.InputShapes[0];
        if (s[1] == Height && s[2] == Width) return new Tensor?[] { signal.clone() };
        if (Height == 1 && Width == 1)
            return new Tensor?[] { (signal / (double)(s[1] * s[2])).expand(signal.shape[0], s[0], s[1], s[2]).contiguous() };
        using var at = zeros(new[] { signal.shape[0], s[0], s[1], s[2] }, signal.dtype, signal.device);
        return new Tensor?[] { LocalAdjoint.Of(x => F.adaptive_avg_pool2d(x, new[] { Height, Width }), at, signal) };
    }
}

using System.Collections.Generic;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace ConvViz.Engine.Graph.Ops;

/// <summary>Average pooling (ONNX AveragePool, torch AvgPool2d). Linear, so its adjoint is exact and point-independent.</summary>
public sealed class AvgPoolOp : GraphOp
{
    public AvgPoolOp(long[] kernel, long[] stride, long[] padding, bool ceilMode, bool countIncludePad)
    {
        Kernel = kernel; Stride = stride; CeilMode = ceilMode; CountIncludePad = countIncludePad;
        Padding = padding.Length == 2 ? new[] { padding[0], padding[1], padding[0], padding[1] } : padding;
    }

    public override string Kind => "AvgPool";
    public long[] Kernel { get; }
    public long[] Stride { get; }
    public long[] Padding { get; }
    public bool CeilMode { get; }
    public bool CountIncludePad { get; }

    private bool NativePadding => Padding[0] == Padding[2] && Padding[1] == Padding[3]
        && Padding[0] * 2 <= Kernel[0] && Padding[1] * 2 <= Kernel[1];

    public override SpatialStep Spatial => SpatialStep.Window(Kernel[0], Kernel[1], Stride[0], Stride[1], Padding[0], Padding[1]);

    public override Tensor Forward(IReadOnlyList<Tensor> inputs, SwitchTape? tape, int node) => Apply(inputs[0]);

    private Tensor Apply(Tensor x)
    {
        if (NativePadding)
            return F.avg_pool2d(x, Kernel, Stride, new[] { Padding[0], Padding[1] }, CeilMode, CountIncludePad);
        if (CountIncludePad)
        {
            using var padded = F.pad(x, new[] { Padding[1], Padding[3], Padding[0], Padding[2] });
            return F.avg_pool2d(padded, Kernel, Stride, new long[] { 0, 0 }, CeilMode, true);
        }
        // Excluded padding with asymmetric pads: sum over the window divided by the count of real pixels.
        using var ones = ones_like(x[.., ..1]);
        using var px = F.pad(x, new[] { Padding[1], Padding[3], Padding[0], Padding[2] });
        using var po = F.pad(ones, new[] { Padding[1], Padding[3], Padding[0], Padding[2] });
        using var sum = F.avg_pool2d(px, Kernel, Stride, new long[] { 0, 0 }, CeilMode, true);
        using var count = F.avg_pool2d(po, Kernel, Stride, new long[] { 0, 0 }, CeilMode, true);
        return sum / count;
    }

    public override Tensor?[] Project(Tensor signal, ProjectionContext context)
    {
        var s = context.InputShapes[0];
        using var at = zeros(new[] { signal.shape[0], s[0], s[1], s[2] }, signal.dtype, signal.device);
        return new Tensor?[] { LocalAdjoint.Of(Apply, at, signal) };
    }
}

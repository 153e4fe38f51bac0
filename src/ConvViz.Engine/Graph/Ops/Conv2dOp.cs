using System.Collections.Generic;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace ConvViz.Engine.Graph.Ops;

/// <summary>
/// 2-D convolution with stride, dilation, groups and (possibly asymmetric) zero padding.
/// Its adjoint filters with the same weights transposed, without bias.
/// </summary>
public sealed class Conv2dOp : GraphOp
{
    public Conv2dOp(Tensor weight, Tensor? bias, long[] stride, long[] padding, long[] dilation, long groups)
    {
        Own("weight", weight);
        HasBias = bias is not null;
        if (bias is not null) Own("bias", bias);
        Stride = stride; Dilation = dilation; Groups = groups;
        // padding is [top, left, bottom, right].
        Padding = padding.Length == 2 ? new[] { padding[0], padding[1], padding[0], padding[1] } : padding;
    }

    public override string Kind => "Conv";
    public bool HasBias { get; }
    public long[] Stride { get; }
    public long[] Padding { get; }
    public long[] Dilation { get; }
    public long Groups { get; }
    public Tensor Weight => T("weight");
    public long OutChannels => Weight.shape[0];
    public long KernelH => Weight.shape[2];
    public long KernelW => Weight.shape[3];
    private bool Symmetric => Padding[0] == Padding[2] && Padding[1] == Padding[3];

    public override SpatialStep Spatial
        => SpatialStep.Window(KernelH, KernelW, Stride[0], Stride[1], Padding[0], Padding[1], Dilation[0], Dilation[1]);

    public override Tensor Forward(IReadOnlyList<Tensor> inputs, SwitchTape? tape, int node)
    {
        var x = inputs[0];
        var bias = HasBias ? T("bias") : null;
        if (Symmetric)
            return F.conv2d(x, Weight, bias, Stride, new[] { Padding[0], Padding[1] }, Dilation, Groups);
        using var padded = F.pad(x, new[] { Padding[1], Padding[3], Padding[0], Padding[2] });
        return F.conv2d(padded, Weight, bias, Stride, new long[] { 0, 0 }, Dilation, Groups);
    }

    public override Tensor?[] Project(Tensor signal, ProjectionContext context)
    {
        var inShape = context.InputShapes[0];
        // Full transposed convolution over the padded input, then crop the padding away.
        using var full = F.conv_transpose2d(signal, Weight, null, Stride, new long[] { 0, 0 }, new long[] { 0, 0 }, Dilation, Groups);
        return new Tensor?[] { CropToInput(full, inShape[1], inShape[2], Padding[0], Padding[1]) };
    }

    /// <summary>Takes rows [top, top+h) and columns [left, left+w) of a padded-frame map, zero-filling what the map lacks.</summary>
    internal static Tensor CropToInput(Tensor full, long h, long w, long top, long left)
    {
        long needH = top + h, needW = left + w;
        long fh = full.shape[2], fw = full.shape[3];
        Tensor source = full;
        Tensor? extended = null;
        if (fh < needH || fw < needW)
        {
            // Rows or columns the strided windows never reached receive nothing.
            extended = F.pad(full, new[] { 0L, System.Math.Max(0, needW - fw), 0L, System.Math.Max(0, needH - fh) });
            source = extended;
        }
        var cropped = source.narrow(2, top, h).narrow(3, left, w).contiguous();
        extended?.Dispose();
        return cropped;
    }
}

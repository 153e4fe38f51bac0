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
        using var full = TransposedFull(signal);
        return new Tensor?[] { CropToInput(full, inShape[1], inShape[2], Padding[0], Padding[1]) };
    }

    /// <summary>
    /// conv_transpose2d(signal, W, stride, padding 0, output padding 0, dilation, groups), computed as a forward
    /// conv2d: the signal zero-stuffed by the stride and padded by dilation*(kernel-1), filtered with W's
    /// per-group in/out transpose, flipped in space. libtorch's own conv_transpose2d is not used because its
    /// oneDNN deconvolution (brgemm_convolution_bwd_strided blocking) dies with an integer divide by zero
    /// (SIGFPE, the whole process) for some strided shapes, e.g. the 1x1 stride-2 512->1024 downsample of
    /// resnext50_32x4d / wide_resnet50_2's layer3.0 on a [N, 1024, 4, 4] signal.
    /// The signal is made contiguous first: a strided (non-contiguous) signal from a Gradient projection of
    /// shufflenet_v2 (opset 11) came back from conv2d with NaNs.
    /// </summary>
    internal Tensor TransposedFull(Tensor signal)
    {
        long n = signal.shape[0], o = signal.shape[1], h = signal.shape[2], w = signal.shape[3];
        if (o != OutChannels)
            throw new System.ArgumentException($"Conv projection got {o} channels, the layer has {OutChannels}.", nameof(signal));
        long sh = Stride[0], sw = Stride[1];
        Tensor stuffed;
        if (sh == 1 && sw == 1) stuffed = signal.contiguous();
        else
        {
            stuffed = zeros(new[] { n, o, (h - 1) * sh + 1, (w - 1) * sw + 1 }, signal.dtype, signal.device);
            using var rows = stuffed.slice(2, 0, stuffed.shape[2], sh);
            using var holes = rows.slice(3, 0, stuffed.shape[3], sw);
            holes.copy_(signal);
        }
        long ph = Dilation[0] * (KernelH - 1), pw = Dilation[1] * (KernelW - 1);
        using var adjoint = AdjointWeight();
        using (stuffed)
            return F.conv2d(stuffed, adjoint, null, new long[] { 1, 1 }, new[] { ph, pw }, Dilation, Groups);
    }

    /// <summary>W [O, C/g, kh, kw] as [C, O/g, kh, kw] (in/out swapped within each group), flipped in both spatial axes.</summary>
    private Tensor AdjointWeight()
    {
        var wt = Weight;
        long g = Groups, outPer = wt.shape[0] / g, inPer = wt.shape[1];
        using var grouped = wt.reshape(g, outPer, inPer, KernelH, KernelW);
        using var swapped = grouped.transpose(1, 2);
        using var flat = swapped.reshape(g * inPer, outPer, KernelH, KernelW);
        return flat.flip(2, 3);
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

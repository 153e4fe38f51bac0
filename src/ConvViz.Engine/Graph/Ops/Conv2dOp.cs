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

    public override bool FreshOutput => true;

    public override Tensor Forward(IReadOnlyList<Tensor> inputs, SwitchTape? tape, int node)
    {
        var x = inputs[0];
        var bias = HasBias ? T("bias") : null;
        if (Symmetric)
            return Convolve(x, Weight, bias, Stride, new[] { Padding[0], Padding[1] }, Dilation, Groups);
        using var padded = F.pad(x, new[] { Padding[1], Padding[3], Padding[0], Padding[2] });
        return Convolve(padded, Weight, bias, Stride, new long[] { 0, 0 }, Dilation, Groups);
    }

    public override Tensor?[] Project(Tensor signal, ProjectionContext context)
    {
        var inShape = context.InputShapes[0];
        // Full transposed convolution over the padded input, then crop the padding away.
        using var full = TransposedFull(signal);
        return new Tensor?[] { CropToInput(full, inShape[1], inShape[2], Padding[0], Padding[1]) };
    }

    /// <summary>
    /// The full transposed convolution ((H-1)*stride + dilation*(k-1) + 1 rows), computed as a
    /// plain convolution: the signal spread out by the stride, zero-padded by dilation*(k-1), filtered
    /// by the weights flipped and with in/out channels swapped per group. Not F.conv_transpose2d:
    /// libtorch 2.10's CPU conv_transpose2d leaves some outputs uninitialised (values, even NaN,
    /// that change from call to call with the thread count and allocator state), which made
    /// repeated projections differ silently.
    /// </summary>
    internal Tensor TransposedFull(Tensor signal)
    {
        long n = signal.shape[0], cout = signal.shape[1], ho = signal.shape[2], wo = signal.shape[3];
        long sh = Stride[0], sw = Stride[1];
        using var scope = NewDisposeScope();
        var spread = signal;
        if (sh > 1 || sw > 1)
        {
            var grid = zeros(new[] { n, cout, ho, sh, wo, sw }, signal.dtype, signal.device);
            grid.select(5, 0).select(3, 0).copy_(signal);
            spread = grid.reshape(n, cout, ho * sh, wo * sw).narrow(2, 0, (ho - 1) * sh + 1).narrow(3, 0, (wo - 1) * sw + 1);
        }
        var w = Weight;
        long cinPerGroup = w.shape[1];
        var swapped = w.reshape(Groups, cout / Groups, cinPerGroup, KernelH, KernelW).transpose(1, 2)
            .reshape(Groups * cinPerGroup, cout / Groups, KernelH, KernelW).flip(2, 3);
        // Contiguous operands: oneDNN gave NaNs for a strided signal (shufflenet_v2, opset 11).
        var result = Convolve(spread.contiguous(), swapped.contiguous(), null, new long[] { 1, 1 },
            new[] { Dilation[0] * (KernelH - 1), Dilation[1] * (KernelW - 1) }, Dilation, Groups);
        return result.MoveToOuterDisposeScope();
    }

    /// <summary>Input channels per group are padded with zeros to a multiple of this (one AVX-512 block of floats).</summary>
    internal const long ChannelBlock = 16;

    /// <summary>
    /// F.conv2d, with each group's input channels zero-padded to a multiple of <see cref="ChannelBlock"/>
    /// when there are more than 8 of them, not a multiple of 16, and the kernel is larger than 1x1.
    /// libtorch 2.10's oneDNN convolution gives wrong values, even NaN, when a group's input channels
    /// exceed one SIMD block of floats and are not a multiple of it (17-72 channels with AVX-512; also
    /// 9-15 with AVX2): the padded tail of its channel blocks is not zeroed. googlenet's 24-channel 3x3
    /// convolutions and shufflenet's conv1 adjoint hit it. Zero channels change no value.
    /// </summary>
    internal static Tensor Convolve(Tensor x, Tensor weight, Tensor? bias, long[] stride, long[] padding, long[] dilation, long groups)
    {
        long perGroup = weight.shape[1];
        bool pointwise = weight.shape[2] == 1 && weight.shape[3] == 1;
        if (pointwise || perGroup <= 8 || perGroup % ChannelBlock == 0)
            return F.conv2d(x, weight, bias, stride, padding, dilation, groups);
        long extra = ChannelBlock - perGroup % ChannelBlock;
        using var scope = NewDisposeScope();
        long n = x.shape[0], h = x.shape[2], w = x.shape[3];
        var xs = F.pad(x.reshape(n, groups, perGroup, h, w), new[] { 0L, 0, 0, 0, 0, extra }).reshape(n, groups * (perGroup + extra), h, w);
        var ws = F.pad(weight, new[] { 0L, 0, 0, 0, 0, extra });
        return F.conv2d(xs, ws, bias, stride, padding, dilation, groups).MoveToOuterDisposeScope();
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

using System;
using System.Collections.Generic;
using System.Linq;
using ConvViz.Engine.Tensors;
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
    /// On a window: the full transposed convolution of the window's signal covers input rows from
    /// top*stride - padding on, (h-1)*stride + dilation*(k-1) + 1 of them; what falls on the padding
    /// is set to zero (the whole-map adjoint crops it away).
    /// </summary>
    public override (Tensor Signal, SignalWindow Window)?[]? ProjectWindow(Tensor signal, SignalWindow window, ProjectionContext context)
    {
        var inShape = context.InputShapes[0];
        if (inShape.Length != 3) return null;
        long h = (window.Height - 1) * Stride[0] + Dilation[0] * (KernelH - 1) + 1;
        long w = (window.Width - 1) * Stride[1] + Dilation[1] * (KernelW - 1) + 1;
        var spread = new SignalWindow(window.Top.Select(t => t * Stride[0] - Padding[0]).ToArray(),
            window.Left.Select(l => l * Stride[1] - Padding[1]).ToArray(), h, w, inShape[1], inShape[2]);
        using var full = TransposedFull(signal);
        var target = spread.ClippedToMap();
        return new (Tensor, SignalWindow)?[] { (SignalWindow.Reframe(full, spread, target), target) };
    }

    /// <summary>
    /// The full transposed convolution ((H-1)*stride + dilation*(k-1) + 1 rows), computed with plain
    /// convolutions of the weights flipped and with in/out channels swapped per group. Not
    /// F.conv_transpose2d: libtorch 2.10's CPU conv_transpose2d leaves some outputs uninitialised
    /// (values, even NaN, that change from call to call with the thread count and allocator state),
    /// which made repeated projections differ silently. A strided convolution goes down by phases
    /// (<see cref="TransposedByPhase"/>): spreading the signal with zeros and filtering that cost
    /// stride² times the multiplications, 3-7x the time on ResNet-18's strided layers.
    /// </summary>
    internal Tensor TransposedFull(Tensor signal)
    {
        long sh = Stride[0], sw = Stride[1];
        if (Groups == 1 && Weight.shape[1] <= FoldChannels) return TransposedByFold(signal);
        if ((sh > 1 || sw > 1) && Dilation[0] == 1 && Dilation[1] == 1) return TransposedByPhase(signal);
        long n = signal.shape[0], cout = signal.shape[1], ho = signal.shape[2], wo = signal.shape[3];
        using var scope = NewDisposeScope();
        var spread = signal;
        if (sh > 1 || sw > 1)
        {
            var grid = zeros(new[] { n, cout, ho, sh, wo, sw }, signal.dtype, signal.device);
            grid.select(5, 0).select(3, 0).copy_(signal);
            spread = grid.reshape(n, cout, ho * sh, wo * sw).narrow(2, 0, (ho - 1) * sh + 1).narrow(3, 0, (wo - 1) * sw + 1);
        }
        var swapped = SwappedWeight().flip(2, 3);
        // Contiguous operands: oneDNN gave NaNs for a strided signal (shufflenet_v2, opset 11).
        var result = Convolve(spread.contiguous(), swapped.contiguous(), null, new long[] { 1, 1 },
            new[] { Dilation[0] * (KernelH - 1), Dilation[1] * (KernelW - 1) }, Dilation, Groups);
        return result.MoveToOuterDisposeScope();
    }

    /// <summary>Adjoints that end in at most this many channels (a first layer's RGB) go by <see cref="TransposedByFold"/>.</summary>
    internal const long FoldChannels = 4;

    /// <summary>
    /// The full transposed convolution as one matrix product and a fold (col2im): every kernel tap's
    /// contribution per signal position, then the overlapping ones added in place. For an adjoint that
    /// ends in a few channels oneDNN's convolution runs at a fraction of its speed (ResNet-18's conv1,
    /// 64 to 3 channels: 12 ms per record, a third of a layer3 projection). The products are those of the
    /// convolution; only the order of the additions differs. Rows go in groups whose product stays
    /// under 64 MB.
    /// </summary>
    private Tensor TransposedByFold(Tensor signal)
    {
        long n = signal.shape[0], cout = signal.shape[1], ho = signal.shape[2], wo = signal.shape[3];
        long cin = Weight.shape[1], kh = KernelH, kw = KernelW;
        long fullH = (ho - 1) * Stride[0] + Dilation[0] * (kh - 1) + 1, fullW = (wo - 1) * Stride[1] + Dilation[1] * (kw - 1) + 1;
        long perRow = cin * kh * kw * ho * wo * 4;
        long rows = Math.Max(1, (64L << 20) / Math.Max(1, perRow));
        using var scope = NewDisposeScope();
        var taps = Weight.reshape(cout, cin * kh * kw).t();
        var parts = new List<Tensor>();
        for (long first = 0; first < n; first += rows)
        {
            long count = Math.Min(rows, n - first);
            var columns = taps.matmul(signal.narrow(0, first, count).reshape(count, cout, ho * wo));
            parts.Add(F.fold(columns, (fullH, fullW), (kh, kw), dilation: (Dilation[0], Dilation[1]), stride: (Stride[0], Stride[1])));
        }
        var full = parts.Count == 1 ? parts[0] : cat(parts, 0);
        return full.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The full transposed convolution of a strided, undilated convolution, one output phase at a
    /// time: the rows a + stride*P of the result (0 &lt;= a &lt; stride) receive only the kernel rows
    /// a, a + stride, ..., so each phase is a stride-1 full convolution of the signal itself with
    /// that sub-kernel, flipped. Every product of the zero-spread form that is not a multiplication
    /// by an inserted zero, and no other.
    /// </summary>
    private Tensor TransposedByPhase(Tensor signal)
    {
        long n = signal.shape[0], ho = signal.shape[2], wo = signal.shape[3];
        long sh = Stride[0], sw = Stride[1], kh = KernelH, kw = KernelW;
        long fullH = (ho - 1) * sh + kh, fullW = (wo - 1) * sw + kw;
        long rows = (fullH + sh - 1) / sh, cols = (fullW + sw - 1) / sw;
        using var scope = NewDisposeScope();
        var swapped = SwappedWeight();
        var x = signal.contiguous();
        var grid = zeros(new[] { n, swapped.shape[0], rows, sh, cols, sw }, signal.dtype, signal.device);
        for (long a = 0; a < Math.Min(sh, kh); a++)
        {
            for (long b = 0; b < Math.Min(sw, kw); b++)
            {
                using var phase = NewDisposeScope();
                var sub = swapped.slice(2, a, kh, sh).slice(3, b, kw, sw).flip(2, 3).contiguous();
                long mh = sub.shape[2], mw = sub.shape[3];
                var part = Convolve(x, sub, null, new long[] { 1, 1 }, new[] { mh - 1, mw - 1 }, new long[] { 1, 1 }, Groups);
                grid.select(5, b).select(3, a).narrow(2, 0, part.shape[2]).narrow(3, 0, part.shape[3]).copy_(part);
            }
        }
        return grid.reshape(n, swapped.shape[0], rows * sh, cols * sw).narrow(2, 0, fullH).narrow(3, 0, fullW)
            .contiguous().MoveToOuterDisposeScope();
    }

    // The weights with in/out channels swapped per group: [groups * cin/group, cout/group, kh, kw].
    private Tensor SwappedWeight()
    {
        var w = Weight;
        long cinPerGroup = w.shape[1], cout = w.shape[0];
        return w.reshape(Groups, cout / Groups, cinPerGroup, KernelH, KernelW).transpose(1, 2)
            .reshape(Groups * cinPerGroup, cout / Groups, KernelH, KernelW);
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
        if (pointwise && MemoryLayout.IsChannelsInnermost(x)) return PointwiseByMatmul(x, weight, bias, stride, padding, groups);
        if (pointwise || perGroup <= 8 || perGroup % ChannelBlock == 0)
            return F.conv2d(x, weight, bias, stride, padding, dilation, groups);
        long extra = ChannelBlock - perGroup % ChannelBlock;
        using var scope = NewDisposeScope();
        long n = x.shape[0], h = x.shape[2], w = x.shape[3];
        var xs = F.pad(x.reshape(n, groups, perGroup, h, w), new[] { 0L, 0, 0, 0, 0, extra }).reshape(n, groups * (perGroup + extra), h, w);
        var ws = F.pad(weight, new[] { 0L, 0, 0, 0, 0, extra });
        return F.conv2d(xs, ws, bias, stride, padding, dilation, groups).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// A 1x1 convolution of a channels-last input as one matrix product per group over the N*H*W pixel rows,
    /// output channels-last too. libtorch 2.10's oneDNN (v3.7.1) picks its brgemm 1x1 kernel for channels-last
    /// inputs, whose blocking heuristic (est_eff_1x1) divides integers by zero for five (in, out) channel pairs
    /// on CPUs without AMX (256/1024, 512/1024, 512/2048, 1024/512, 1024/2048: every ResNet-50 bottleneck): SIGFPE
    /// kills the process. The product is the same sum; the pixel sampling of stride and padding comes first.
    /// </summary>
    private static Tensor PointwiseByMatmul(Tensor x, Tensor weight, Tensor? bias, long[] stride, long[] padding, long groups)
    {
        using var scope = NewDisposeScope();
        var src = x;
        if (padding[0] != 0 || padding[1] != 0) src = F.pad(src, new[] { padding[1], padding[1], padding[0], padding[0] });
        if (stride[0] != 1 || stride[1] != 1)
            src = src.slice(2, 0, src.shape[2], stride[0]).slice(3, 0, src.shape[3], stride[1]);
        long n = src.shape[0], c = src.shape[1], h = src.shape[2], w = src.shape[3], o = weight.shape[0];
        var rows = src.permute(0, 2, 3, 1).reshape(n * h * w, c);
        Tensor y;
        if (groups == 1)
        {
            var wt = weight.reshape(o, c).t();
            y = bias is null ? rows.matmul(wt) : addmm(bias, rows, wt, 1, 1);
        }
        else
        {
            long cg = c / groups, og = o / groups;
            var byGroup = rows.view(n * h * w, groups, cg).transpose(0, 1);
            var wt = weight.reshape(groups, og, cg).transpose(1, 2);
            y = byGroup.bmm(wt).transpose(0, 1).reshape(n * h * w, o);
            if (bias is not null) y = y.add(bias);
        }
        return y.view(n, h, w, o).permute(0, 3, 1, 2).MoveToOuterDisposeScope();
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

using System.Collections.Generic;
using System.Linq;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace ConvViz.Engine.Graph.Ops;

/// <summary>
/// Max pooling with overlapping windows, dilation, ceil mode and asymmetric padding.
/// The forward pass records the switches; the adjoint routes each value back to the
/// position that won its window, adding up where windows overlap.
/// </summary>
public sealed class MaxPoolOp : GraphOp
{
    public MaxPoolOp(long[] kernel, long[] stride, long[] padding, long[]? dilation = null, bool ceilMode = false)
    {
        Kernel = kernel; Stride = stride; CeilMode = ceilMode;
        Dilation = dilation ?? new long[] { 1, 1 };
        Padding = padding.Length == 2 ? new[] { padding[0], padding[1], padding[0], padding[1] } : padding;
    }

    public override string Kind => "MaxPool";
    public long[] Kernel { get; }
    public long[] Stride { get; }
    public long[] Padding { get; }
    public long[] Dilation { get; }
    public bool CeilMode { get; }

    // PyTorch pads symmetrically and at most half a kernel; anything else is padded by hand.
    private bool NativePadding => Padding[0] == Padding[2] && Padding[1] == Padding[3]
        && Padding[0] * 2 <= Kernel[0] && Padding[1] * 2 <= Kernel[1];

    public override SpatialStep Spatial
        => SpatialStep.Window(Kernel[0], Kernel[1], Stride[0], Stride[1], Padding[0], Padding[1], Dilation[0], Dilation[1]);

    public override Tensor Forward(IReadOnlyList<Tensor> inputs, SwitchTape? tape, int node)
    {
        var x = inputs[0];
        Tensor output, indices;
        if (NativePadding)
        {
            (output, indices) = F.max_pool2d_with_indices(x, Kernel, Stride, new[] { Padding[0], Padding[1] }, Dilation, CeilMode);
        }
        else
        {
            using var padded = F.pad(x, new[] { Padding[1], Padding[3], Padding[0], Padding[2] }, TorchSharp.PaddingModes.Constant, double.NegativeInfinity);
            (output, indices) = F.max_pool2d_with_indices(padded, Kernel, Stride, new long[] { 0, 0 }, Dilation, CeilMode);
        }
        if (tape is not null) tape.Record(node, indices); else indices.Dispose();
        return output;
    }

    public override Tensor?[] Project(Tensor signal, ProjectionContext context)
    {
        var inShape = context.InputShapes[0];
        var whole = SignalWindow.Whole((int)signal.shape[0], inShape[1], inShape[2]);
        return new Tensor?[] { Unpool(signal, context.Tape.Get(context.Node, "max-pool switches"), whole) };
    }

    /// <summary>
    /// On a window: each value goes to the input position that won its pool window, as on the whole
    /// map, into the input rectangle the output rectangle's pool windows span (from top*stride - padding
    /// on, cut to the map). Positions of the window outside the map carry zeros, so their borrowed
    /// switches add nothing.
    /// </summary>
    public override (Tensor Signal, SignalWindow Window)?[]? ProjectWindow(Tensor signal, SignalWindow window, ProjectionContext context)
    {
        var inShape = context.InputShapes[0];
        long h = (window.Height - 1) * Stride[0] + Dilation[0] * (Kernel[0] - 1) + 1;
        long w = (window.Width - 1) * Stride[1] + Dilation[1] * (Kernel[1] - 1) + 1;
        var spread = new SignalWindow(window.Top.Select(t => t * Stride[0] - Padding[0]).ToArray(),
            window.Left.Select(l => l * Stride[1] - Padding[1]).ToArray(), h, w, inShape[1], inShape[2]).ClippedToMap();
        using var switches = window.Cut(context.Tape.Get(context.Node, "max-pool switches"));
        return new (Tensor, SignalWindow)?[] { (Unpool(signal, switches, spread), spread) };
    }

    /// <summary>
    /// The signal added up at its switches' positions, straight into <paramref name="into"/> (input-map
    /// coordinates): one scatter over the window, in the same order as over the whole map, so the sums
    /// are the same bit for bit; no whole-map buffer to fill and cut. A switch outside the window (only
    /// for signal positions outside the map, whose values are zero) adds nothing.
    /// </summary>
    private Tensor Unpool(Tensor signal, Tensor switches, SignalWindow into)
    {
        long n = signal.shape[0], c = signal.shape[1];
        // Indices address the frame the pool saw: the input itself, or its hand-padded copy.
        long frameWidth = NativePadding ? into.MapWidth : into.MapWidth + Padding[1] + Padding[3];
        long top = NativePadding ? 0 : Padding[0], left = NativePadding ? 0 : Padding[1];
        using var scope = NewDisposeScope();
        var index = switches.flatten(2);
        var y = index.div(frameWidth, rounding_mode: RoundingMode.floor)
            .sub_(tensor(into.Top, device: signal.device).add_(top).view(n, 1, 1));
        var x = index.remainder(frameWidth).sub_(tensor(into.Left, device: signal.device).add_(left).view(n, 1, 1));
        var inside = y.ge(0).logical_and_(y.lt(into.Height)).logical_and_(x.ge(0)).logical_and_(x.lt(into.Width));
        var local = y.mul_(into.Width).add_(x).masked_fill_(inside.logical_not(), 0);
        var values = signal.flatten(2).masked_fill(inside.logical_not(), 0);
        var result = zeros(new[] { n, c, into.Height * into.Width }, signal.dtype, signal.device);
        result.scatter_add_(2, local, values);
        return result.view(n, c, into.Height, into.Width).MoveToOuterDisposeScope();
    }
}

using System.Collections.Generic;
using System.Linq;
using ConvViz.Engine.Graph;
using ConvViz.Engine.Graph.Ops;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace ConvViz.TestKit;

/// <summary>
/// A 2-D convolution written as strided slices of the padded input times a per-group weight matrix
/// (einsum), for autograd references: its backward never reaches libtorch's convolution backward, whose
/// oneDNN kernel dies with SIGFPE on some strided shapes (resnext50/wide_resnet50 layer3.0 downsample),
/// and it does not share the engine's conv code.
/// </summary>
public static class ReferenceConv
{
    /// <summary>padding [top, left, bottom, right]; weight [O, C/groups, kh, kw].</summary>
    public static Tensor Forward(Tensor x, Tensor w, Tensor? bias, long[] stride, long[] padding, long[] dilation, long groups)
    {
        long o = w.shape[0], cg = w.shape[1], kh = w.shape[2], kw = w.shape[3];
        var v = F.pad(x, new[] { padding[1], padding[3], padding[0], padding[2] });
        long n = v.shape[0], hp = v.shape[2], wp = v.shape[3];
        long ho = (hp - dilation[0] * (kh - 1) - 1) / stride[0] + 1, wo = (wp - dilation[1] * (kw - 1) - 1) / stride[1] + 1;
        Tensor? sum = null;
        for (long p = 0; p < kh; p++)
            for (long q = 0; q < kw; q++)
            {
                var window = v.slice(2, p * dilation[0], p * dilation[0] + (ho - 1) * stride[0] + 1, stride[0])
                              .slice(3, q * dilation[1], q * dilation[1] + (wo - 1) * stride[1] + 1, stride[1])
                              .reshape(n, groups, cg, ho, wo);
                var tap = w.select(3, q).select(2, p).reshape(groups, o / groups, cg);
                var term = einsum("ngchw,goc->ngohw", window, tap);
                sum = sum is null ? term : sum + term;
            }
        var y = sum!.reshape(n, o, ho, wo);
        return bias is null ? y : y + bias.reshape(1, o, 1, 1);
    }

    /// <summary>The op's forward, with a Conv2dOp computed by <see cref="Forward(Tensor, Tensor, Tensor?, long[], long[], long[], long)"/>.</summary>
    public static Tensor NodeForward(GraphOp op, IReadOnlyList<Tensor> inputs, int node)
    {
        if (op is not Conv2dOp c) return op.Forward(inputs, null, node);
        var bias = c.HasBias ? c.Tensors.First(t => t.Name == "bias").Value : null;
        return Forward(inputs[0], c.Weight, bias, c.Stride, c.Padding, c.Dilation, c.Groups);
    }
}

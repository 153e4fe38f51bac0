using System.Collections.Generic;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace ConvViz.Engine.FeatureVisualization;

/// <summary>
/// ReLU whose backward pass does not stop at a ReLU that is zero everywhere for an image (Lucid's
/// redirected ReLU, used by its render_vis on every ReLU): where the ordinary gradient of an image
/// is zero at every position of the layer, the gradient passes wherever it would raise the objective
/// (everywhere except where the input is below zero and the step would push it lower). Without it a
/// grey start that leaves any ReLU on the way dead gets no gradient at all: densenet121's second ReLU
/// is zero everywhere on a uniform image, and every visualisation above it stayed at its start.
/// The forward value is ReLU's; an image whose ordinary gradient is non-zero gets exactly that.
/// </summary>
internal sealed class RedirectedRelu : autograd.SingleTensorFunction<RedirectedRelu>
{
    public override string Name => "RedirectedRelu";

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var x = (Tensor)vars[0];
        ctx.save_for_backward(new List<Tensor> { x });
        return F.relu(x);
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor gradient)
    {
        var x = ctx.get_saved_variables()[0];
        using var negative = x.lt(0);
        using var zero = zeros(1, dtype: gradient.dtype, device: gradient.device);
        using var ordinary = where(negative, zero, gradient);
        // The loss is minimised: a positive gradient would push an input lower.
        using var pushesLower = negative.logical_and(gradient.gt(0));
        using var redirected = where(pushesLower, zero, gradient);
        var shape = new long[x.dim()];
        shape[0] = x.shape[0];
        for (int d = 1; d < shape.Length; d++) shape[d] = 1;
        using var passes = ordinary.flatten(1).abs().amax(new long[] { 1 }).gt(0).reshape(shape);
        return new List<Tensor> { where(passes, ordinary, redirected) };
    }
}

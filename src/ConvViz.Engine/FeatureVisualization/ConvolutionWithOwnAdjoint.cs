using System.Collections.Generic;
using ConvViz.Engine.Graph;
using ConvViz.Engine.Graph.Ops;
using static TorchSharp.torch;

namespace ConvViz.Engine.FeatureVisualization;

/// <summary>
/// A graph convolution whose backward pass is the engine's own adjoint (<see cref="Conv2dOp.Project"/>:
/// forward convolutions with the transposed filters, exact against autograd in the projection tests)
/// instead of libtorch's. libtorch 2.10's oneDNN (v3.7.1) picks, for the input gradient of a 1x1 stride-2
/// convolution such as ResNet-50's 512 -> 1024 downsample, a kernel whose blocking heuristic divides
/// integers by zero on some CPUs (brgemm_convolution_bwd_strided, est_eff_1x1; seen on AMD EPYC): SIGFPE
/// killed pwsh in resnext50's visualisations. Weights are constants here, so only the input gradient is made.
/// </summary>
internal sealed class ConvolutionWithOwnAdjoint : autograd.SingleTensorFunction<ConvolutionWithOwnAdjoint>
{
    public override string Name => "ConvolutionWithOwnAdjoint";

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var x = (Tensor)vars[0];
        var op = (Conv2dOp)vars[1];
        int node = (int)vars[2];
        ctx.save_data("op", op);
        ctx.save_data("node", node);
        ctx.save_data("shape", new[] { x.shape[1], x.shape[2], x.shape[3] });
        return op.Forward(new[] { x }, null, node);
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor gradient)
    {
        var op = (Conv2dOp)ctx.get_data("op");
        var context = new ProjectionContext(ProjectionRule.Gradient, null!, (int)ctx.get_data("node"), new[] { (long[])ctx.get_data("shape") });
        // One gradient per argument of apply: the op and its node index have none.
        return new List<Tensor> { op.Project(gradient, context)[0]!, null!, null! };
    }
}

using System;
using static TorchSharp.torch;

namespace ConvViz.Engine.Graph;

/// <summary>
/// The exact vector-Jacobian product of one op at one point, by autograd on that op alone.
/// Used for the adjoints that have no simpler closed form (average pools with excluded
/// padding, LRN, softmax); the big linear ops have explicit adjoints.
/// </summary>
internal static class LocalAdjoint
{
    public static Tensor Of(Func<Tensor, Tensor> op, Tensor at, Tensor signal)
    {
        using var grad = enable_grad();
        using var x = at.detach().requires_grad_(true);
        using var y = op(x);
        var g = autograd.grad(new[] { y }, new[] { x }, new[] { signal })[0];
        return g.detach();
    }
}

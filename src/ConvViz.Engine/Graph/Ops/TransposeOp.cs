using System.Collections.Generic;
using System.Linq;
using static TorchSharp.torch;

namespace ConvViz.Engine.Graph.Ops;

/// <summary>
/// Permutes the axes of a model value (ONNX Transpose: ShuffleNet's channel shuffle, ConvNeXt's
/// NCHW/NHWC changes); the batch axis stays first. Adjoint under every rule: the inverse permutation.
/// A permutation that leaves the last two axes in place (a channel shuffle) is spatially pointwise;
/// any other makes the receptive field the whole input, since later ops see other axes as space.
/// </summary>
public sealed class TransposeOp : GraphOp
{
    public TransposeOp(long[] perm)
    {
        Perm = perm;
        Inverse = new long[perm.Length];
        for (int i = 0; i < perm.Length; i++) Inverse[perm[i]] = i;
    }

    public long[] Perm { get; }
    public long[] Inverse { get; }
    public override string Kind => "Transpose";
    public override SpatialStep Spatial
        => Perm.Length >= 4 && Perm[^1] == Perm.Length - 1 && Perm[^2] == Perm.Length - 2 ? SpatialStep.Pointwise : SpatialStep.Everything;

    public override Tensor Forward(IReadOnlyList<Tensor> inputs, SwitchTape? tape, int node) => inputs[0].permute(Perm).contiguous();

    public override Tensor?[] Project(Tensor signal, ProjectionContext context) => new Tensor?[] { signal.permute(Inverse).contiguous() };
}

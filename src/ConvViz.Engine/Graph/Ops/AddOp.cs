using System.Collections.Generic;
using System.Linq;
using static TorchSharp.torch;

namespace ConvViz.Engine.Graph.Ops;

/// <summary>Element-wise sum of two or more branches (residual Add, ONNX Sum). The signal goes down every branch.</summary>
public sealed class AddOp : GraphOp
{
    public override string Kind => "Add";
    public override int Arity => -1;

    public override SpatialStep Spatial => SpatialStep.Pointwise;

    // TorchSharp's a + b passes a temporary Scalar alpha by handle only; the GC may finalize it during the
    // native call (seen once in CI: libtorch's Scalar::toFloat check failed in add). A static one stays alive.
    private static readonly TorchSharp.Scalar One = 1;

    public override Tensor Forward(IReadOnlyList<Tensor> inputs, SwitchTape? tape, int node)
    {
        var sum = inputs[0].add(inputs[1], One);
        for (int i = 2; i < inputs.Count; i++) sum.add_(inputs[i], One);
        return sum;
    }

    public override bool FreshOutput => true;

    // Same additions in the same order as Forward, into the first branch (torchvision's "out += identity").
    public override Tensor? ForwardInPlace(IReadOnlyList<Tensor> inputs)
    {
        var first = inputs[0];
        if (inputs.Any(t => t.dtype != first.dtype || !t.shape.SequenceEqual(first.shape))) return null;
        for (int i = 1; i < inputs.Count; i++) first.add_(inputs[i], One);
        return first;
    }

    public override Tensor?[] Project(Tensor signal, ProjectionContext context)
        => context.InputShapes.Select(shape => (Tensor?)ReduceTo(signal, shape)).ToArray();

    // Windowed only when no branch is broadcast: each branch then gets the signal as it is.
    public override (Tensor Signal, SignalWindow Window)?[]? ProjectWindow(Tensor signal, SignalWindow window, ProjectionContext context)
    {
        foreach (var shape in context.InputShapes)
            if (!window.IsMapOf(shape, signal.shape[1])) return null;
        return context.InputShapes.Select(_ => ((Tensor, SignalWindow)?)(signal.alias(), window)).ToArray();
    }
}

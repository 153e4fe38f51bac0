using System.Collections.Generic;
using System.Linq;
using static TorchSharp.torch;
using TorchSharp;

namespace ConvViz.Engine.Graph.Ops;

/// <summary>Concatenation along an axis (1 = channels for feature maps). Adjoint: split the signal.</summary>
public sealed class ConcatOp : GraphOp
{
    public ConcatOp(long axis) => Axis = axis;
    public long Axis { get; }   // counted with the batch axis, as in ONNX.
    public override string Kind => "Concat";
    public override int Arity => -1;

    public override Tensor Forward(IReadOnlyList<Tensor> inputs, SwitchTape? tape, int node) => cat(inputs.ToList(), Axis);

    public override Tensor?[] Project(Tensor signal, ProjectionContext context)
    {
        var result = new Tensor?[context.InputShapes.Count];
        long offset = 0;
        for (int i = 0; i < result.Length; i++)
        {
            long size = context.InputShapes[i][Axis - 1];
            result[i] = signal.narrow(Axis, offset, size).contiguous();
            offset += size;
        }
        return result;
    }
}

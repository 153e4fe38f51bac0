using System.Collections.Generic;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace ConvViz.Engine.Graph.Ops;

/// <summary>A contiguous range along one axis (ONNX Split outputs and Slice). Adjoint: place the signal back, zeros elsewhere.</summary>
public sealed class SliceOp : GraphOp
{
    public SliceOp(long axis, long start, long length) { Axis = axis; Start = start; Length = length; }
    public long Axis { get; }
    public long Start { get; }
    public long Length { get; }
    public override string Kind => "Slice";

    public override Tensor Forward(IReadOnlyList<Tensor> inputs, SwitchTape? tape, int node)
        => inputs[0].narrow(Axis, Start, Length).contiguous();

    public override Tensor?[] Project(Tensor signal, ProjectionContext context)
    {
        var shape = context.InputShapes[0];
        var full = new long[shape.Length + 1];
        full[0] = signal.shape[0];
        System.Array.Copy(shape, 0, full, 1, shape.Length);
        var result = zeros(full, signal.dtype, signal.device);
        result.narrow(Axis, Start, Length).copy_(signal);
        return new Tensor?[] { result };
    }
}

using System.Collections.Generic;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace ConvViz.Engine.Graph.Ops;

/// <summary>Constant padding of the spatial axes (ONNX Pad, mode constant). Adjoint: crop.</summary>
public sealed class PadOp : GraphOp
{
    public PadOp(long top, long left, long bottom, long right, double value)
    {
        Top = top; Left = left; Bottom = bottom; Right = right; Value = value;
    }
    public long Top { get; }
    public long Left { get; }
    public long Bottom { get; }
    public long Right { get; }
    public double Value { get; }
    public override string Kind => "Pad";
    public override SpatialStep Spatial => SpatialStep.Window(1, 1, 1, 1, Top, Left);

    public override Tensor Forward(IReadOnlyList<Tensor> inputs, SwitchTape? tape, int node)
        => F.pad(inputs[0], new[] { Left, Right, Top, Bottom }, TorchSharp.PaddingModes.Constant, Value);

    public override Tensor?[] Project(Tensor signal, ProjectionContext context)
    {
        var s = context.InputShapes[0];
        return new Tensor?[] { Conv2dOp.CropToInput(signal, s[1], s[2], Top, Left) };
    }
}

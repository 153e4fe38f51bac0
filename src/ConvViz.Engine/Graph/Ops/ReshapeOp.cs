using System.Collections.Generic;
using System.Linq;
using static TorchSharp.torch;

namespace ConvViz.Engine.Graph.Ops;

/// <summary>Flatten or Reshape to a fixed per-sample shape. Adjoint: reshape back.</summary>
public sealed class ReshapeOp : GraphOp
{
    /// <param name="keepsSpace">The last two axes (height, width) stay as they are (a channel shuffle): spatially pointwise.</param>
    public ReshapeOp(long[] shapeWithoutBatch, string kind, bool keepsSpace = false) { Shape = shapeWithoutBatch; _kind = kind; KeepsSpace = keepsSpace; }
    private readonly string _kind;
    public long[] Shape { get; }
    public bool KeepsSpace { get; }
    public override string Kind => _kind;
    public override SpatialStep Spatial => KeepsSpace ? SpatialStep.Pointwise : SpatialStep.Everything;

    public override Tensor Forward(IReadOnlyList<Tensor> inputs, SwitchTape? tape, int node)
        => inputs[0].reshape(new[] { inputs[0].shape[0] }.Concat(Shape).ToArray());

    public override Tensor?[] Project(Tensor signal, ProjectionContext context)
        => new Tensor?[] { signal.reshape(new[] { signal.shape[0] }.Concat(context.InputShapes[0]).ToArray()) };
}

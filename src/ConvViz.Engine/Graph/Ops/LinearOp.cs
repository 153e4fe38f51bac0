using System.Collections.Generic;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace ConvViz.Engine.Graph.Ops;

/// <summary>Fully connected layer y = x W^T + b (ONNX Gemm and MatMul, torch Linear). Adjoint: signal W.</summary>
public sealed class LinearOp : GraphOp
{
    public LinearOp(Tensor weight, Tensor? bias)
    {
        Own("weight", weight);
        HasBias = bias is not null;
        if (bias is not null) Own("bias", bias);
    }

    public bool HasBias { get; }
    public override string Kind => "Linear";
    public override SpatialStep Spatial => SpatialStep.Everything;
    public long OutFeatures => T("weight").shape[0];

    public override Tensor Forward(IReadOnlyList<Tensor> inputs, SwitchTape? tape, int node)
        => F.linear(inputs[0], T("weight"), HasBias ? T("bias") : null);

    public override Tensor?[] Project(Tensor signal, ProjectionContext context)
        => new Tensor?[] { signal.matmul(T("weight")) };
}

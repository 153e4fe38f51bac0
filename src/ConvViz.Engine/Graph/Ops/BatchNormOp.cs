using System.Collections.Generic;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace ConvViz.Engine.Graph.Ops;

/// <summary>Inference-mode batch normalisation; on the way down it contributes its per-channel scale.</summary>
public sealed class BatchNormOp : GraphOp
{
    public BatchNormOp(Tensor weight, Tensor bias, Tensor runningMean, Tensor runningVar, double epsilon)
    {
        Own("weight", weight);
        Own("bias", bias);
        Own("running_mean", runningMean, learnable: false);
        Own("running_var", runningVar, learnable: false);
        Epsilon = epsilon;
    }

    public override string Kind => "BatchNorm";
    public double Epsilon { get; }

    public override bool FreshOutput => true;

    public override Tensor Forward(IReadOnlyList<Tensor> inputs, SwitchTape? tape, int node)
        => F.batch_norm(inputs[0], T("running_mean"), T("running_var"), T("weight"), T("bias"), false, 0.1, Epsilon);

    public override (Tensor Signal, SignalWindow Window)?[]? ProjectWindow(Tensor signal, SignalWindow window, ProjectionContext context)
        => new (Tensor, SignalWindow)?[] { (Project(signal, context)[0]!, window) };

    public override Tensor?[] Project(Tensor signal, ProjectionContext context)
    {
        using var scale = T("weight") / (T("running_var") + Epsilon).sqrt();
        return new Tensor?[] { signal * scale.view(1, -1, 1, 1) };
    }
}

using System.Collections.Generic;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace ConvViz.Engine.Graph.Ops;

/// <summary>
/// Local response (contrast) normalisation across channels. Deconvnet passes the signal
/// through unchanged, as Zeiler and Fergus's deconvnet has no inverse for it; Gradient and
/// GuidedBackprop use its exact gradient at the recorded input.
/// </summary>
public sealed class LrnOp : GraphOp
{
    public LrnOp(long size, double alpha, double beta, double k) { Size = size; Alpha = alpha; Beta = beta; K = k; }
    public long Size { get; }
    public double Alpha { get; }
    public double Beta { get; }
    public double K { get; }
    public override string Kind => "LRN";

    public override Tensor Forward(IReadOnlyList<Tensor> inputs, SwitchTape? tape, int node)
    {
        tape?.Record(node, inputs[0].detach().clone());
        return F.local_response_norm(inputs[0], Size, Alpha, Beta, K);
    }

    public override Tensor?[] Project(Tensor signal, ProjectionContext context)
    {
        if (context.Rule == ProjectionRule.Deconvnet) return new Tensor?[] { signal.clone() };
        var at = context.Tape.Get(context.Node, "LRN input");
        return new Tensor?[] { LocalAdjoint.Of(x => F.local_response_norm(x, Size, Alpha, Beta, K), at, signal) };
    }
}

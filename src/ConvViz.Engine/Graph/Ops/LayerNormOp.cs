using System.Collections.Generic;
using System.Linq;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace ConvViz.Engine.Graph.Ops;

/// <summary>
/// ONNX LayerNormalization (opset 17): y = (x - mean) / sqrt(var + eps) * scale + bias over the
/// axes from <see cref="Axis"/> on. Gradient: the exact derivative (autograd of the op alone).
/// Deconvnet and GuidedBackprop: the standard deviation is a gate fixed at its forward value,
/// as in the decomposed form's Div: g' = signal * scale, then (g' - mean(g')) / sigma.
/// </summary>
public sealed class LayerNormOp : GraphOp
{
    public LayerNormOp(long axis, Tensor scale, Tensor? bias, double epsilon)
    {
        Axis = axis; Epsilon = epsilon;
        Own("weight", scale);
        HasBias = bias is not null;
        if (bias is not null) Own("bias", bias);
    }

    /// <summary>First normalised axis, counted with the batch axis.</summary>
    public long Axis { get; }
    public double Epsilon { get; }
    public bool HasBias { get; }
    public override string Kind => "LayerNorm";
    public override SpatialStep Spatial => SpatialStep.Everything;

    private Tensor Apply(Tensor x)
        => F.layer_norm(x, x.shape.Skip((int)Axis).ToArray(), T("weight"), HasBias ? T("bias") : null, Epsilon);

    public override Tensor Forward(IReadOnlyList<Tensor> inputs, SwitchTape? tape, int node)
    {
        tape?.Record(node, inputs[0].detach().clone());
        return Apply(inputs[0]);
    }

    public override Tensor?[] Project(Tensor signal, ProjectionContext context)
    {
        var x = context.Tape.Get(context.Node, "LayerNorm input");
        if (context.Rule == ProjectionRule.Gradient) return new Tensor?[] { LocalAdjoint.Of(Apply, x, signal) };
        var axes = Enumerable.Range((int)Axis, (int)(x.dim() - Axis)).Select(a => (long)a).ToArray();
        using var variance = x.var(axes, unbiased: false, keepdim: true);
        using var sigma = (variance + Epsilon).sqrt();
        using var g = signal * T("weight");
        using var mean = g.mean(axes, keepdim: true);
        using var centred = g - mean;
        return new Tensor?[] { centred / sigma };
    }
}

using System.Collections.Generic;
using static TorchSharp.torch;

namespace ConvViz.Engine.Graph.Ops;

/// <summary>Identity and inference-time Dropout.</summary>
public sealed class IdentityOp : GraphOp
{
    public IdentityOp(string kind = "Identity") => _kind = kind;
    private readonly string _kind;
    public override string Kind => _kind;
    public override Tensor Forward(IReadOnlyList<Tensor> inputs, SwitchTape? tape, int node) => inputs[0].alias();
    public override Tensor?[] Project(Tensor signal, ProjectionContext context) => new Tensor?[] { signal.clone() };
    public override (Tensor Signal, SignalWindow Window)?[]? ProjectWindow(Tensor signal, SignalWindow window, ProjectionContext context)
        => new (Tensor, SignalWindow)?[] { (signal.clone(), window) };
}

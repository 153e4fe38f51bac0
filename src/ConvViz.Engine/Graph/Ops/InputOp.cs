using System;
using System.Collections.Generic;
using static TorchSharp.torch;

namespace ConvViz.Engine.Graph.Ops;

/// <summary>The graph's input: model-ready pixels, batch x C x H x W.</summary>
public sealed class InputOp : GraphOp
{
    public override string Kind => "Input";
    public override int Arity => 0;
    public override Tensor Forward(IReadOnlyList<Tensor> inputs, SwitchTape? tape, int node)
        => throw new InvalidOperationException("The input node is fed, not computed.");
    public override Tensor?[] Project(Tensor signal, ProjectionContext context) => Array.Empty<Tensor?>();
}

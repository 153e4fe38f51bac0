using System;
using System.Collections.Generic;

namespace ConvViz.Engine.Models;

/// <summary>
/// A user-facing layer: a named span of graph nodes with one node per <see cref="Stage"/>.
/// A conv whose output is summed before any ReLU (a residual branch's last conv) has no
/// rectified value of its own, so its Activation node is its PreActivation node.
/// A module output (<see cref="IsModuleOutput"/>) is one torchvision module's output under
/// that module's name (features.10 is the conv, features.11 its ReLU): exactly the tensor a
/// PyTorch forward hook on that module sees, so it has no stages.
/// </summary>
public sealed record LayerSpec(
    string Name,
    string Kind,
    int PreActivation,
    int Activation,
    int Pooled,
    IReadOnlyList<string> Aliases,
    long ParameterCount)
{
    public bool IsModuleOutput { get; init; }

    public int NodeFor(Stage stage) => stage switch
    {
        _ when IsModuleOutput && stage != Stage.Activation => throw new ArgumentException(
            $"Layer '{Name}' is a torchvision module name: it addresses exactly that module's output, which has no {stage} stage. "
            + "Name the module whose output you want (its ReLU or pool module), or use ConvViz's layer name (Get-ConvLayer) with -Stage."),
        Stage.PreActivation => PreActivation,
        Stage.Pooled => Pooled,
        _ => Activation,
    };

    public bool IsConv => Kind == "Conv";
}

using System.Collections.Generic;

namespace ConvViz.Engine.Models;

/// <summary>
/// A user-facing layer: a named span of graph nodes with one node per <see cref="Stage"/>.
/// A conv whose output is summed before any ReLU (a residual branch's last conv) has no
/// rectified value of its own, so its Activation node is its PreActivation node.
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
    public int NodeFor(Stage stage) => stage switch
    {
        Stage.PreActivation => PreActivation,
        Stage.Pooled => Pooled,
        _ => Activation,
    };

    public bool IsConv => Kind == "Conv";
}

using System.Collections.Generic;
using ConvViz.Engine.Graph;

namespace ConvViz.Engine.TopK;

/// <summary>
/// One tapped layer of a scan: the graph node read, its feature-map size, the units kept
/// (ascending channel indices) and the node's receptive field in model-input pixels. A node
/// with a flat output (a linear layer) counts as 1 x 1 with a global field.
/// </summary>
public sealed record TapSpec(string Layer, int Node, int Channels, int Height, int Width, IReadOnlyList<int> Units, ReceptiveField Field)
{
    public int Positions => Height * Width;
    public bool AllUnits => Units.Count == Channels;
}

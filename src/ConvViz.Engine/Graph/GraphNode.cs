namespace ConvViz.Engine.Graph;

/// <summary>
/// One node of a <see cref="ConvGraph"/>. <paramref name="Inputs"/> index earlier nodes;
/// <paramref name="ParameterPrefix"/> is the state-dict prefix of the op's tensors
/// (torchvision's names for built-in models, "conv1" gives "conv1.weight").
/// </summary>
public sealed record GraphNode(int Index, string Name, GraphOp Op, int[] Inputs, string? ParameterPrefix);

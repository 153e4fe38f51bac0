namespace ConvViz.Engine.Projection;

/// <summary>
/// One activation to project: row <paramref name="Image"/> of the batch, graph node
/// <paramref name="Node"/> (a layer's tap), channel <paramref name="Unit"/> at (Y, X).
/// With <paramref name="KeepFeatureMap"/> the whole channel is kept instead of the one value.
/// </summary>
public sealed record ProjectionTarget(int Image, int Node, long Unit, long Y, long X, bool KeepFeatureMap = false);

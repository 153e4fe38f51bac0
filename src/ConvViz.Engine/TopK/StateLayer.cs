namespace ConvViz.Engine.TopK;

/// <summary>One tapped layer of a scan state and its running top-k.</summary>
public sealed record StateLayer(TapSpec Tap, TopKTable Table);

namespace ConvViz.Engine.FeatureVisualization;

/// <summary>
/// What the optimisation drives: Channel = the mean of the unit's whole feature map; Neuron =
/// the unit at the centre position of its map (row H/2, column W/2, integer division). Negative
/// flips the sign: the image that suppresses the unit most.
/// </summary>
public enum VisualizationObjective
{
    Channel,
    Neuron,
}

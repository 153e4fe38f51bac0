namespace ConvViz.Engine.Models;

/// <summary>Which value of a layer a tap reads.</summary>
public enum Stage
{
    /// <summary>After the layer's rectification (conv + ReLU): the paper's choice.</summary>
    Activation,
    /// <summary>Before rectification (after batch-norm where there is one).</summary>
    PreActivation,
    /// <summary>After the max-pool that follows the layer, where there is one.</summary>
    Pooled,
}

namespace ConvViz.Engine.Analysis;

/// <summary>Which map of an <see cref="OcclusionResult"/>.</summary>
public enum OcclusionMapKind
{
    /// <summary>Probability of the chosen class (paper Figure 7, column d).</summary>
    Probability,
    /// <summary>Total activation of the chosen feature map (Figure 7, column b).</summary>
    Activation,
    /// <summary>Index of the most probable class (Figure 7, column e).</summary>
    TopClass,
    /// <summary>Cosine distance of a feature extractor's output from the unoccluded output.</summary>
    Distance,
}

namespace ConvViz.Engine.Models;

/// <summary>What a model's final node means.</summary>
public enum ModelOutputKind
{
    /// <summary>Class scores before softmax.</summary>
    Logits,
    /// <summary>Class probabilities (the graph ends in a softmax).</summary>
    Probabilities,
    /// <summary>A feature vector (an extractor without classifier).</summary>
    Features,
}

namespace ConvViz;

/// <summary>
/// One point of an invariance curve (Measure-Invariance): after Transform by Amount, the
/// Euclidean distance of Layer's activations from the original's, and for classifiers the
/// probability of Class on the transformed image.
/// </summary>
public sealed class InvariancePoint
{
    public string ImagePath { get; init; } = "";
    public string ModelName { get; init; } = "";
    public string Transform { get; init; } = "";
    /// <summary>Translate: Direction, else empty.</summary>
    public string Direction { get; init; } = "";
    /// <summary>Model-input pixels (Translate), a factor (Scale) or degrees clockwise (Rotate).</summary>
    public double Amount { get; init; }
    public string Layer { get; init; } = "";
    public double Distance { get; init; }
    public int? Class { get; init; }
    public string? ClassName { get; init; }
    public float? Probability { get; init; }

    public override string ToString() => $"{Transform} {Amount} {Layer}: {Distance:G4}";
}

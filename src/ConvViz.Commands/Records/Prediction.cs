namespace ConvViz;

/// <summary>One of an image's most probable classes, for a model that ends in a classifier.</summary>
public sealed class Prediction
{
    public string ModelName { get; init; } = "";
    public string ImagePath { get; init; } = "";
    public int Rank { get; init; }
    public int Class { get; init; }
    public string ClassName { get; init; } = "";
    public float Probability { get; init; }

    public override string ToString() => $"{ClassName} ({Probability:P1})";
}

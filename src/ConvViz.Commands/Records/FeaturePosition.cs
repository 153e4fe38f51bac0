namespace ConvViz;

/// <summary>A position (row, column) in a layer's feature map.</summary>
public sealed record FeaturePosition(int Y, int X)
{
    public override string ToString() => $"({Y}, {X})";
}

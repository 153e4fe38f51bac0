namespace ConvViz.TestKit;

/// <summary>A brute-force top-k entry. Rank is 1-based; Y, X index the layer's feature map.</summary>
public sealed record ReferenceEntry(string Layer, int Unit, int Rank, float Value, string ImagePath, int Y, int X);

namespace ConvViz;

/// <summary>
/// How consistently occluding one object part changes one layer's features across images
/// (Measure-Correspondence, the paper's section 4.3 and Table 1). Consistency: the mean
/// Hamming distance between the signs of the feature changes of two images, as a fraction of
/// the layer's features (0 = identical, lower = more consistent). RandomConsistency: the same
/// for squares of the same size at random places. Ratio = Consistency / RandomConsistency:
/// below 1 when the network treats the part as the same thing in every image.
/// </summary>
public sealed class Correspondence
{
    public string ModelName { get; init; } = "";
    public string Part { get; init; } = "";
    public string Layer { get; init; } = "";
    public int Images { get; init; }
    public int Pairs { get; init; }
    public long Features { get; init; }
    public double Consistency { get; init; }
    public double ConsistencyStdDev { get; init; }
    public int RandomTrials { get; init; }
    public double? RandomConsistency { get; init; }
    public double? RandomStdDev { get; init; }
    public double? Ratio => RandomConsistency is > 0 ? Consistency / RandomConsistency : null;
    public string Fill { get; init; } = "";
    public string[] ImagePaths { get; init; } = System.Array.Empty<string>();

    public override string ToString() => $"{Part} {Layer}: {Consistency:G4} (random {RandomConsistency:G4})";
}

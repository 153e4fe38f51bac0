
namespace ConvViz;

/// <summary>
/// One of a unit's strongest activations over a dataset: which image, where in the feature
/// map, and the patch of the original image the unit saw (its receptive field, mapped back
/// through resize and crop and clipped at the borders).
/// </summary>
public sealed class Activation
{
    public string ModelName { get; init; } = "";
    public string Layer { get; init; } = "";
    public string Stage { get; init; } = "Activation";
    public int Unit { get; init; }
    public int Rank { get; init; }
    public float Value { get; init; }
    public string ImagePath { get; init; } = "";
    public FeaturePosition Position { get; init; } = new(0, 0);
    /// <summary>The receptive field in original-image pixels.</summary>
    public PatchBox PatchBox { get; init; } = new(0, 0, 0, 0);
    /// <summary>The receptive field in model-input pixels.</summary>
    public PatchBox InputBox { get; init; } = new(0, 0, 0, 0);
    public string ContentHash { get; init; } = "";

    /// <summary>Images the scan that found this activation covered (0 when unknown).</summary>
    public int ScannedImages { get; init; }
    /// <summary>How long that scan took, and when it ended (null when unknown, e.g. after a merge).</summary>
    public System.TimeSpan? ScanTime { get; init; }
    public System.DateTimeOffset? ScannedAt { get; init; }
    /// <summary>The k of the scan's top-k (0 when unknown).</summary>
    public int TopK { get; init; }

    /// <summary>The model the activation belongs to (null after Merge-TopActivations without -Model).</summary>
    public Model? Model { get; init; }

    public override string ToString() => $"{Layer}[{Unit}] #{Rank} {Value:G4} {ImagePath}";
}

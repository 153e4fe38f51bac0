
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

    /// <summary>
    /// The identity of the weights the activation was computed with (a scan state's weight
    /// hash): consumers refuse to project it through any other weights.
    /// </summary>
    public string WeightsSha256 { get; init; } = "";

    /// <summary>Where those weights came from ("architecture:zfnet (random, seed 1)", a file path, ...).</summary>
    public string ModelSource { get; init; } = "";

    /// <summary>Images the scan that found this activation covered (0 when unknown).</summary>
    public int ScannedImages { get; init; }
    /// <summary>How long that scan took, and when it ended (null when unknown, e.g. after a merge).</summary>
    public System.TimeSpan? ScanTime { get; init; }
    public System.DateTimeOffset? ScannedAt { get; init; }
    /// <summary>The k of the scan's top-k (0 when unknown).</summary>
    public int TopK { get; init; }

    /// <summary>The model the activation belongs to (null after Merge-TopActivations without -Model).</summary>
    public Model? Model { get; init; }

    /// <summary>The same record, attached to the model it was projected through.</summary>
    internal Activation WithModel(Model model) => ReferenceEquals(Model, model) ? this : new()
    {
        ModelName = ModelName, Layer = Layer, Stage = Stage, Unit = Unit, Rank = Rank, Value = Value, ImagePath = ImagePath,
        Position = Position, PatchBox = PatchBox, InputBox = InputBox, ContentHash = ContentHash,
        WeightsSha256 = WeightsSha256.Length > 0 ? WeightsSha256 : model.WeightsSha256,
        ModelSource = ModelSource.Length > 0 ? ModelSource : model.Source,
        Model = model,
    };

    public override string ToString() => $"{Layer}[{Unit}] #{Rank} {Value:G4} {ImagePath}";
}

using ConvViz.Engine.Models;
using ConvViz.Engine.TopK;

namespace ConvViz;

/// <summary>A network ConvViz can look into. Travels down the pipeline and into -Model.</summary>
public sealed class Model
{
    private string? _weights;

    internal Model(ConvModel engine)
    {
        Engine = engine;
        Commands.Hosting.ModelCatalog.Register(this);
    }

    public string Name => Engine.Name;
    public string Source => Engine.Source;
    public string Device => Engine.DeviceName;
    public int InputWidth => Engine.Input.Width;
    public int InputHeight => Engine.Input.Height;
    /// <summary>The input preprocessing in use (pixel range, channel order, mean, std, resize), or "unknown (...)".</summary>
    public string Preprocessing => Engine.Input.Describe();
    public string Output => Engine.Output.ToString();
    public int ClassCount => Engine.ClassNames?.Count ?? 0;
    public int LayerCount => Engine.Layers.All.Count;
    public long Parameters => Engine.ParameterCount;

    /// <summary>
    /// The identity of the weights (SHA-256 over every named tensor and the input geometry, as
    /// in a scan state file). Records carry it, so a projection never runs through other weights.
    /// Hashed once, on first use.
    /// </summary>
    public string WeightsSha256 => _weights ??= ModelIdentity.Of(Engine).WeightsSha256;

    /// <summary>Lets a scan that hashed the weights anyway hand the hash over (saves a second pass over them).</summary>
    internal void KnowWeights(string sha256) => _weights ??= sha256;

    internal bool WeightsKnown => _weights is not null;

    // A field and a method, not a property: ConvertTo-Json and Export-Csv would dump it.
    internal ConvModel Engine { get; }

    /// <summary>The engine's model, for extensions and tests.</summary>
    public ConvModel GetEngine() => Engine;

    public override string ToString() => Name;
}

using ConvViz.Engine.Models;

namespace ConvViz;

/// <summary>A network ConvViz can look into. Travels down the pipeline and into -Model.</summary>
public sealed class Model
{
    internal Model(ConvModel engine)
    {
        Engine = engine;
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

    // A field and a method, not a property: ConvertTo-Json and Export-Csv would dump it.
    internal ConvModel Engine { get; }

    /// <summary>The engine's model, for extensions and tests.</summary>
    public ConvModel GetEngine() => Engine;

    public override string ToString() => Name;
}

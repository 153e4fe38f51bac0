using System.Management.Automation;

namespace ConvViz;

/// <summary>
/// What a unit "wants to see": an image optimised from noise to maximise (Negative: minimise)
/// the unit (New-FeatureVisualization). Pixels are 3 x Height x Width floats, channel-major,
/// RGB in the model's raw input range [0, PixelMax] (what Import-ConvModel's model takes before
/// its own normalisation). Value is the objective's quantity on the final image without the
/// random transforms: the channel's mean (Objective Channel) or the centre neuron (Neuron), not
/// negated; Max the largest value of the unit's map there; StartValue the same quantity on the
/// random start.
/// </summary>
public sealed class FeatureVisualization
{
    public string ModelName { get; init; } = "";
    /// <summary>The weights the image was optimised through (as on Activation records).</summary>
    public string WeightsSha256 { get; init; } = "";
    public string ModelSource { get; init; } = "";
    public string Layer { get; init; } = "";
    public string Stage { get; init; } = "Activation";
    public int Unit { get; init; }
    /// <summary>Channel or Neuron.</summary>
    public string Objective { get; init; } = "Channel";
    public bool Negative { get; init; }
    public int Width { get; init; }
    public int Height { get; init; }
    public float PixelMax { get; init; } = 1;
    [Hidden] public float[] Pixels { get; init; } = System.Array.Empty<float>();
    public float Value { get; init; }
    public float Max { get; init; }
    public float StartValue { get; init; }
    public int Steps { get; init; }
    public int Seed { get; init; }
    /// <summary>False when the random pad/shift/scale/rotation were off (-Transform None).</summary>
    public bool Transforms { get; init; } = true;
    /// <summary>The model the image was optimised through.</summary>
    public Model? Model { get; init; }

    /// <summary>The pixel of channel <paramref name="c"/> at (<paramref name="y"/>, <paramref name="x"/>).</summary>
    public float Get(int c, int y, int x) => Pixels[(c * Height + y) * Width + x];

    public override string ToString() => $"{Layer}[{Unit}] {(Negative ? "-" : "")}{Objective} {Value:G4} ({Width}x{Height}, {Steps} steps, seed {Seed})";
}

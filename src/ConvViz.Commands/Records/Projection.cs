using System.Management.Automation;

namespace ConvViz;

/// <summary>
/// An activation projected back to pixel space. Reconstruction is the unnormalised signal
/// (3 x Height x Width floats, channel-major, RGB) cropped to the unit's receptive field in
/// model-input pixels; FullReconstruction covers the whole model input. Patch holds the
/// matching crop of the original image as RGB bytes (PatchHeight x PatchWidth x 3).
/// Display normalisation happens when it is drawn (Export-PatchGrid), not here.
/// </summary>
public sealed class Projection
{
    public Activation Activation { get; init; } = new();
    public string Method { get; init; } = "Deconvnet";
    public string Layer => Activation.Layer;
    public int Unit => Activation.Unit;
    public int Rank => Activation.Rank;
    public float Value => Activation.Value;
    public string ImagePath => Activation.ImagePath;
    public int Height { get; init; }
    public int Width { get; init; }
    [Hidden] public float[] Reconstruction { get; init; } = System.Array.Empty<float>();
    public int InputHeight { get; init; }
    public int InputWidth { get; init; }
    [Hidden] public float[] FullReconstruction { get; init; } = System.Array.Empty<float>();
    public int PatchHeight { get; init; }
    public int PatchWidth { get; init; }
    [Hidden] public byte[] Patch { get; init; } = System.Array.Empty<byte>();
    /// <summary>Largest absolute value of the reconstruction: how strong the signal is before display scaling.</summary>
    public float Peak { get; init; }

    public override string ToString() => $"{Method} {Activation}";
}

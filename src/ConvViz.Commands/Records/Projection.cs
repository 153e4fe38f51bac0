using System.Management.Automation;

namespace ConvViz;

/// <summary>
/// An activation projected back to pixel space. Reconstruction is the unnormalised signal
/// (3 x Height x Width floats, channel-major, RGB) cropped to InputBox in model-input pixels:
/// the unit's receptive field (Crop = Field) or the effective box that holds CropShare of the
/// projection's absolute mass (Crop = Effective). FullReconstruction covers the whole model
/// input. Patch holds the matching crop of the original image (PatchBox) as RGB bytes
/// (PatchHeight x PatchWidth x 3). FieldInputBox and FieldPatchBox are the theoretical field.
/// With several methods (one forward pass), Method and Reconstruction are the first; Methods
/// and Reconstructions hold each, in order.
/// Display normalisation happens when it is drawn (Export-PatchGrid), not here.
/// </summary>
public sealed class Projection
{
    public Activation Activation { get; init; } = new();
    public string Method { get; init; } = "Deconvnet";
    public string[] Methods { get; init; } = { "Deconvnet" };
    public string Layer => Activation.Layer;
    public int Unit => Activation.Unit;
    public int Rank => Activation.Rank;
    public float Value => Activation.Value;
    public string ImagePath => Activation.ImagePath;
    public int Height { get; init; }
    public int Width { get; init; }
    [Hidden] public float[] Reconstruction { get; init; } = System.Array.Empty<float>();
    [Hidden] public float[][] Reconstructions { get; init; } = System.Array.Empty<float[]>();
    public int InputHeight { get; init; }
    public int InputWidth { get; init; }
    [Hidden] public float[] FullReconstruction { get; init; } = System.Array.Empty<float>();
    [Hidden] public float[][] FullReconstructions { get; init; } = System.Array.Empty<float[]>();
    public int PatchHeight { get; init; }
    public int PatchWidth { get; init; }
    [Hidden] public byte[] Patch { get; init; } = System.Array.Empty<byte>();
    /// <summary>Largest absolute value of the reconstruction: how strong the signal is before display scaling.</summary>
    public float Peak { get; init; }
    /// <summary>Field or Effective.</summary>
    public string Crop { get; init; } = "Field";
    /// <summary>Share of the (first method's) absolute projection mass inside InputBox.</summary>
    public double CropShare { get; init; } = 1;
    /// <summary>The box Reconstruction covers, in model-input pixels.</summary>
    public PatchBox InputBox { get; init; } = new(0, 0, 0, 0);
    /// <summary>The box Patch covers, in original-image pixels.</summary>
    public PatchBox PatchBox { get; init; } = new(0, 0, 0, 0);
    /// <summary>The unit's theoretical receptive field in model-input pixels.</summary>
    public PatchBox FieldInputBox { get; init; } = new(0, 0, 0, 0);
    /// <summary>The theoretical receptive field in original-image pixels.</summary>
    public PatchBox FieldPatchBox { get; init; } = new(0, 0, 0, 0);
    /// <summary>Size of the original image (upright).</summary>
    public int ImageWidth { get; init; }
    public int ImageHeight { get; init; }

    public override string ToString() => $"{string.Join("+", Methods)} {Activation}";
}

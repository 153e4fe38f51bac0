namespace ConvViz.Engine.Models;

/// <summary>How a photo becomes the model's input before the graph's own normalisation nodes.</summary>
public enum ResizeMode
{
    /// <summary>Resize to exactly Width x Height (aspect ratio not kept).</summary>
    Stretch,
    /// <summary>Resize the shorter side to ResizeTo, then crop the centre Width x Height (torchvision's eval transform).</summary>
    ShorterSideThenCenterCrop,
}

/// <summary>
/// The model's input: size, how images are fitted to it, and the pixel range the graph
/// expects (255 for raw RGB, 1 for RGB scaled to [0, 1]). Channel order, mean and
/// scale live in the graph itself, so projections come back in plain RGB pixels;
/// <see cref="Convention"/> says what they are (null: the graph's own, as in built-in models).
/// </summary>
public sealed record InputSpec(int Width, int Height, ResizeMode Resize, int ResizeTo, float PixelMax)
{
    public static InputSpec Torchvision => new(224, 224, ResizeMode.ShorterSideThenCenterCrop, 256, 1f);

    public InputConvention? Convention { get; init; }

    /// <summary>The preprocessing in use, in words.</summary>
    public string Describe() => (Convention ?? InputConvention.InGraph(PixelMax)).Describe(this);
}

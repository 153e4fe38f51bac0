using ConvViz.Engine.Graph;

namespace ConvViz.Engine.TopK;

/// <summary>
/// One of the strongest patches of a unit. Rank is 1-based (1 = strongest). Y, X index the
/// layer's feature map. InputBox is the unit's receptive field in model-input pixels (clipped
/// to the input); ImageBox is the same box in the original (upright) image's pixels.
/// </summary>
public sealed record TopActivation(
    string Layer, int Unit, int Rank, float Value,
    string ImagePath, string ContentHash, long ImageSequence,
    int Y, int X, PixelBox InputBox, PixelBox ImageBox);

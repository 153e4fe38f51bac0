using System;
using SixLabors.ImageSharp.PixelFormats;

namespace ConvViz.Engine.Image;

/// <summary>
/// Upright decoded pixels and where they came from: the original upright size and the DCT
/// reduction (1 = full size; r = JPEG decoded at 1/r, pixel i covering original [i*r, (i+1)*r)).
/// </summary>
public sealed record DecodedImage(SixLabors.ImageSharp.Image<Rgb24> Image, int OriginalWidth, int OriginalHeight, int Reduction) : IDisposable
{
    public void Dispose() => Image.Dispose();
}

using System;
using ConvViz.Engine.Graph;

namespace ConvViz.Engine.Image;

/// <summary>
/// How an upright original image became the model input: resized to ResizedWidth x
/// ResizedHeight, then the window at (CropLeft, CropTop) of InputWidth x InputHeight taken.
/// Maps model-input boxes back to original pixels with integer arithmetic, so the mapping is
/// exact and the same on every machine.
/// </summary>
public sealed record ImageGeometry(
    int OriginalWidth, int OriginalHeight,
    int ResizedWidth, int ResizedHeight,
    int CropLeft, int CropTop,
    int InputWidth, int InputHeight)
{
    /// <summary>Model-input pixels per original pixel, horizontally.</summary>
    public double ScaleX => (double)ResizedWidth / OriginalWidth;
    /// <summary>Model-input pixels per original pixel, vertically.</summary>
    public double ScaleY => (double)ResizedHeight / OriginalHeight;

    /// <summary>
    /// The original-image pixels covering a model-input box: edges go outward (floor the
    /// start, ceil the end) so the box always contains what the unit saw, clipped to the image.
    /// </summary>
    public PixelBox ToOriginal(PixelBox inputBox)
    {
        long top = FloorDiv((inputBox.Top + CropTop) * OriginalHeight, ResizedHeight);
        long bottom = CeilDiv((inputBox.Bottom + CropTop) * OriginalHeight, ResizedHeight);
        long left = FloorDiv((inputBox.Left + CropLeft) * OriginalWidth, ResizedWidth);
        long right = CeilDiv((inputBox.Right + CropLeft) * OriginalWidth, ResizedWidth);
        return new PixelBox(
            Math.Clamp(top, 0, OriginalHeight), Math.Clamp(left, 0, OriginalWidth),
            Math.Clamp(bottom, 0, OriginalHeight), Math.Clamp(right, 0, OriginalWidth));
    }

    /// <summary>
    /// The model-input pixels that show an original-image box: edges go outward (floor the
    /// start, ceil the end), clipped to the input. Empty (zero height or width) when the box
    /// lies in the part the crop cut away.
    /// </summary>
    public PixelBox ToInput(PixelBox originalBox)
    {
        long top = FloorDiv(originalBox.Top * ResizedHeight, OriginalHeight) - CropTop;
        long bottom = CeilDiv(originalBox.Bottom * ResizedHeight, OriginalHeight) - CropTop;
        long left = FloorDiv(originalBox.Left * ResizedWidth, OriginalWidth) - CropLeft;
        long right = CeilDiv(originalBox.Right * ResizedWidth, OriginalWidth) - CropLeft;
        top = Math.Clamp(top, 0, InputHeight); bottom = Math.Clamp(bottom, top, InputHeight);
        left = Math.Clamp(left, 0, InputWidth); right = Math.Clamp(right, left, InputWidth);
        return new PixelBox(top, left, bottom, right);
    }

    private static long FloorDiv(long a, long b) => a >= 0 ? a / b : -((-a + b - 1) / b);
    private static long CeilDiv(long a, long b) => -FloorDiv(-a, b);
}

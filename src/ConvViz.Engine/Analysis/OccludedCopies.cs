using System;
using System.Collections.Generic;
using ConvViz.Engine.Graph;
using static TorchSharp.torch;

namespace ConvViz.Engine.Analysis;

/// <summary>
/// Copies of one image with a box painted in a fill colour, one copy per box (null: the image
/// as it is). occluded = image * (1 - mask) + fill * mask with a 0/1 mask, exact for both.
/// The mask is filled on the device, so no batch-sized array passes through managed memory.
/// </summary>
public static class OccludedCopies
{
    /// <param name="image">1 x 3 x H x W.</param>
    /// <param name="fill">1 x 3 x 1 x 1 on the same device.</param>
    /// <param name="boxes">Model-input boxes, clipped to H x W; null leaves that copy unoccluded.</param>
    public static Tensor Of(Tensor image, Tensor fill, IReadOnlyList<PixelBox?> boxes)
    {
        long h = image.shape[2], w = image.shape[3];
        int b = boxes.Count;
        if (b == 0) throw new ArgumentException("No copies asked for.", nameof(boxes));
        var mask = zeros(new long[] { b, 1, h, w }, dtype: image.dtype, device: image.device);
        for (int k = 0; k < b; k++)
        {
            if (boxes[k] is not { } box || box.Height <= 0 || box.Width <= 0) continue;
            using var row = mask[k];
            using var rows = row.narrow(1, box.Top, box.Height);
            using var cell = rows.narrow(2, box.Left, box.Width);
            cell.fill_(1);
        }
        return image.expand(b, 3, h, w) * (1 - mask) + fill * mask;
    }
}

using System;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Advanced;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;
using SixLabors.ImageSharp.Processing.Processors.Transforms;

namespace ConvViz.Engine.Grid;

/// <summary>Small exact pixel operations; exact so sheets match their documented geometry.</summary>
internal static class PixelOps
{
    public static void Fill(Image<Rgb24> target, GridRect rect, Rgb24 colour)
    {
        for (int y = rect.Y; y < rect.Bottom; y++)
            target.DangerousGetPixelRowMemory(y).Span.Slice(rect.X, rect.Width).Fill(colour);
    }

    /// <summary>Copies <paramref name="source"/> with its top-left corner at (x, y).</summary>
    public static void Blit(Image<Rgb24> target, Image<Rgb24> source, int x, int y)
    {
        for (int row = 0; row < source.Height; row++)
            source.DangerousGetPixelRowMemory(row).Span.CopyTo(target.DangerousGetPixelRowMemory(y + row).Span.Slice(x, source.Width));
    }

    /// <summary>Draws <paramref name="picture"/> letterboxed into <paramref name="cell"/>
    /// (see <see cref="PatchGridLayout.Fit"/>); the rest of the cell keeps its colour.</summary>
    public static void DrawFitted(Image<Rgb24> target, Image<Rgb24> picture, GridRect cell, IResampler resampler)
    {
        var fit = PatchGridLayout.Fit(picture.Width, picture.Height, cell);
        if (fit.Width == picture.Width && fit.Height == picture.Height)
        {
            Blit(target, picture, fit.X, fit.Y);
            return;
        }
        using var scaled = picture.Clone(c => c.Resize(new ResizeOptions
        {
            Size = new Size(fit.Width, fit.Height),
            Mode = ResizeMode.Stretch,
            Sampler = resampler,
        }));
        Blit(target, scaled, fit.X, fit.Y);
    }

    /// <summary>Nearest-neighbour pick: shows single weights / activations as crisp blocks.</summary>
    public static IResampler Nearest => KnownResamplers.NearestNeighbor;

    /// <summary>Smooth resampling for photos and projections.</summary>
    public static IResampler Smooth => KnownResamplers.Bicubic;

    public static void RequireInside(Image<Rgb24> target, GridRect rect)
    {
        if (rect.X < 0 || rect.Y < 0 || rect.Right > target.Width || rect.Bottom > target.Height)
            throw new ArgumentOutOfRangeException(nameof(rect), $"{rect} lies outside the {target.Width}x{target.Height} image.");
    }
}

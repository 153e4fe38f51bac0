using System;
using System.Collections.Generic;
using ConvViz.Engine.Graph;
using ConvViz.Engine.Image;

namespace ConvViz.Engine.Projection;

/// <summary>
/// A projection back to pixel space, with what a viewer needs beside it. Full is C x H x W in
/// model-input pixels (unnormalised); InputBox is the unit's receptive field and ImageBox its
/// pixels in the original image. Crop is Full cut to <see cref="CropInputBox"/> (the field, or
/// the effective box of <see cref="EffectiveCrop"/>); Patch is the matching crop of the original
/// image (<see cref="CropImageBox"/>), as RGB bytes. With several rules, Full and Crop are the
/// first rule's and <see cref="Rules"/>, <see cref="Fulls"/> and <see cref="Crops"/> hold them all.
/// </summary>
public sealed record ImageProjection(
    ProjectionRequest Request,
    string Layer,
    int Y, int X, float Value,
    float[] Full, int InputHeight, int InputWidth,
    PixelBox InputBox, PixelBox ImageBox,
    float[] Crop,
    byte[] Patch,
    ImageGeometry Geometry)
{
    /// <summary>The box Crop covers, in model-input pixels.</summary>
    public PixelBox CropInputBox { get; init; } = InputBox;
    /// <summary>The box Patch covers, in original-image pixels.</summary>
    public PixelBox CropImageBox { get; init; } = ImageBox;
    public CropMode CropMode { get; init; } = CropMode.Field;
    /// <summary>Share of the first rule's absolute projection mass inside CropInputBox.</summary>
    public double CropShare { get; init; } = 1;
    public IReadOnlyList<ProjectionRule> Rules { get; init; } = Array.Empty<ProjectionRule>();
    public IReadOnlyList<float[]> Fulls { get; init; } = Array.Empty<float[]>();
    public IReadOnlyList<float[]> Crops { get; init; } = Array.Empty<float[]>();
}

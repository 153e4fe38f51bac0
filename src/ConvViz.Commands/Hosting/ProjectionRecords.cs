using System;
using System.Collections.Generic;
using System.Linq;
using ConvViz.Engine.Graph;
using ConvViz.Engine.Projection;

namespace ConvViz.Commands.Hosting;

/// <summary>Engine projections as pipeline records.</summary>
internal static class ProjectionRecords
{
    /// <summary>The engine settings for -Method (none: each layer's default), -Crop, -CropMass and -MinCropSize.</summary>
    public static ProjectionSettings Settings(IReadOnlyList<string>? methods, string crop, double mass, int minSize)
        => new(methods is { Count: > 0 } ? methods.Select(m => Enum.Parse<ProjectionRule>(m, true)).Distinct().ToArray() : null,
            new ProjectionCrop(Enum.Parse<CropMode>(crop, true), mass, minSize));

    public static Projection From(ImageProjection p, Activation activation, bool includeFull)
    {
        float peak = 0;
        foreach (var v in p.Crop) peak = Math.Max(peak, Math.Abs(v));
        var methods = p.Rules.Count > 0 ? p.Rules.Select(r => r.ToString()).ToArray() : new[] { "Deconvnet" };
        return new Projection
        {
            Activation = activation,
            Method = methods[0],
            Methods = methods,
            Height = (int)p.CropInputBox.Height,
            Width = (int)p.CropInputBox.Width,
            Reconstruction = p.Crop,
            Reconstructions = p.Crops.Count > 0 ? p.Crops.ToArray() : new[] { p.Crop },
            InputHeight = p.InputHeight,
            InputWidth = p.InputWidth,
            FullReconstruction = includeFull ? p.Full : Array.Empty<float>(),
            FullReconstructions = includeFull ? (p.Fulls.Count > 0 ? p.Fulls.ToArray() : new[] { p.Full }) : Array.Empty<float[]>(),
            PatchHeight = (int)p.CropImageBox.Height,
            PatchWidth = (int)p.CropImageBox.Width,
            Patch = p.Patch,
            Peak = peak,
            Crop = p.CropMode.ToString(),
            CropShare = p.CropShare,
            InputBox = PatchBox.From(p.CropInputBox),
            PatchBox = PatchBox.From(p.CropImageBox),
            FieldInputBox = PatchBox.From(p.InputBox),
            FieldPatchBox = PatchBox.From(p.ImageBox),
            ImageWidth = p.Geometry.OriginalWidth,
            ImageHeight = p.Geometry.OriginalHeight,
        };
    }

    /// <summary>The activation record for a projection asked for by image, layer and unit.</summary>
    public static Activation ActivationFor(ImageProjection p, Model model, string stage)
        => new()
        {
            ModelName = model.Name,
            Layer = p.Layer,
            Stage = stage,
            Unit = p.Request.Unit,
            Rank = 1,
            Value = p.Value,
            ImagePath = p.Request.ImagePath,
            Position = new FeaturePosition(p.Y, p.X),
            PatchBox = PatchBox.From(p.ImageBox),
            InputBox = PatchBox.From(p.InputBox),
            Model = model,
            WeightsSha256 = model.WeightsSha256,
            ModelSource = model.Source,
        };
}

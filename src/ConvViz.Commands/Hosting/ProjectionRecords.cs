using System;
using ConvViz.Engine.Projection;

namespace ConvViz.Commands.Hosting;

/// <summary>Engine projections as pipeline records.</summary>
internal static class ProjectionRecords
{
    public static Projection From(ImageProjection p, Activation activation, string method, bool includeFull)
    {
        float peak = 0;
        foreach (var v in p.Crop) peak = Math.Max(peak, Math.Abs(v));
        return new Projection
        {
            Activation = activation,
            Method = method,
            Height = (int)p.InputBox.Height,
            Width = (int)p.InputBox.Width,
            Reconstruction = p.Crop,
            InputHeight = p.InputHeight,
            InputWidth = p.InputWidth,
            FullReconstruction = includeFull ? p.Full : Array.Empty<float>(),
            PatchHeight = (int)p.ImageBox.Height,
            PatchWidth = (int)p.ImageBox.Width,
            Patch = p.Patch,
            Peak = peak,
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

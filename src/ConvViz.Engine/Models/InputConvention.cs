using System;
using System.Globalization;
using System.Linq;

namespace ConvViz.Engine.Models;

/// <summary>Order of the colour channels a model expects.</summary>
public enum ChannelOrder { RGB, BGR }

/// <summary>
/// What an imported model expects of its input pixels: the pixel range, the channel order and
/// the per-channel mean and standard deviation (in the model's channel order, in that pixel
/// range). ConvViz always feeds RGB in [0, PixelMax]; the channel order and the normalisation
/// become ordinary graph nodes in front of the imported graph, so projections come back in RGB
/// pixels. <see cref="Known"/> is false when neither the file nor the user declared anything:
/// the model is then fed raw RGB 0-255 and its records say the convention is unknown.
/// </summary>
public sealed record InputConvention
{
    public float PixelMax { get; init; } = 255f;
    public ChannelOrder ChannelOrder { get; init; } = ChannelOrder.RGB;
    public float[]? Mean { get; init; }
    public float[]? Std { get; init; }
    /// <summary>Where the convention comes from: "preset torchvision", "file metadata", "parameters", "graph", "unknown".</summary>
    public string Origin { get; init; } = "unknown";
    public bool Known { get; init; } = true;

    public static readonly string[] PresetNames = { "torchvision", "caffe", "raw" };

    /// <summary>
    /// torchvision: RGB in [0, 1], ImageNet mean and std, resize the shorter side then crop the centre.
    /// caffe: BGR in [0, 255] minus the ImageNet BGR mean (no scaling), stretched to the input size.
    /// raw: RGB in [0, 255] unchanged, stretched.
    /// </summary>
    public static (InputConvention Convention, ResizeMode Resize) Preset(string name) => name.ToLowerInvariant() switch
    {
        "torchvision" => (new InputConvention
        {
            PixelMax = 1f, ChannelOrder = ChannelOrder.RGB,
            Mean = new[] { 0.485f, 0.456f, 0.406f }, Std = new[] { 0.229f, 0.224f, 0.225f },
            Origin = "preset torchvision",
        }, ResizeMode.ShorterSideThenCenterCrop),
        "caffe" => (new InputConvention
        {
            PixelMax = 255f, ChannelOrder = ChannelOrder.BGR,
            Mean = new[] { 103.939f, 116.779f, 123.68f },
            Origin = "preset caffe",
        }, ResizeMode.Stretch),
        "raw" => (new InputConvention { PixelMax = 255f, Origin = "preset raw" }, ResizeMode.Stretch),
        _ => throw new InputConventionException($"Unknown preprocessing preset '{name}'. Presets: {string.Join(", ", PresetNames)}."),
    };

    /// <summary>Nothing declared: raw RGB 0-255, marked unknown.</summary>
    public static InputConvention Unknown => new() { Known = false, Origin = "unknown" };

    /// <summary>The graph does its own preprocessing (built-in architectures, the embedded ResNet-18).</summary>
    public static InputConvention InGraph(float pixelMax) => new() { PixelMax = pixelMax, Origin = "graph" };

    public bool Normalises => Mean is not null || Std is not null;

    /// <summary>One line for the model record and Get-ConvLayer's header.</summary>
    public string Describe(InputSpec spec)
    {
        var size = $"{spec.Height}x{spec.Width}";
        var fit = spec.Resize == ResizeMode.Stretch ? $"stretched to {size}" : $"shorter side {spec.ResizeTo}, centre {size}";
        if (!Known) return $"unknown (fed RGB 0-255 unnormalised, {fit})";
        if (Origin == "graph") return $"RGB 0-{Num(PixelMax)}, normalised in the graph, {fit}";
        var parts = $"{ChannelOrder} 0-{Num(PixelMax)}";
        if (Mean is not null) parts += $", mean {List(Mean)}";
        if (Std is not null) parts += $", std {List(Std)}";
        return $"{parts}, {fit} ({Origin})";
    }

    internal static string Num(float v) => v.ToString("0.######", CultureInfo.InvariantCulture);
    internal static string List(float[] v) => string.Join(",", v.Select(Num));
}

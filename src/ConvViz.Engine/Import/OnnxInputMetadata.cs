using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using ConvViz.Engine.Models;
using Onnx;

namespace ConvViz.Engine.Import;

/// <summary>
/// The input convention an ONNX file declares in its <c>metadata_props</c>, and how it combines
/// with the user's options. Keys (all optional; values are text):
/// <list type="bullet">
/// <item><c>convviz.preset</c>: torchvision, caffe or raw</item>
/// <item><c>convviz.input_size</c>: "224" or "H,W"</item>
/// <item><c>convviz.pixel_range</c>: 1 or 255</item>
/// <item><c>convviz.channel_order</c>: RGB or BGR</item>
/// <item><c>convviz.mean</c>, <c>convviz.std</c>: comma-separated, one per channel, model channel order, in the pixel range</item>
/// <item><c>convviz.resize</c>: CenterCrop or Stretch; <c>convviz.resize_to</c>: the shorter side before the crop</item>
/// </list>
/// Precedence: each option the user gives, then the user's preset, then the file's keys, then
/// the file's preset. When none of preset, pixel range, channel order, mean or std is declared
/// anywhere, the convention is unknown.
/// </summary>
public static class OnnxInputMetadata
{
    public const string Prefix = "convviz.";
    public static readonly string[] Keys = { "convviz.preset", "convviz.input_size", "convviz.pixel_range", "convviz.channel_order", "convviz.mean", "convviz.std", "convviz.resize", "convviz.resize_to" };

    /// <summary>The file's declarations as options (only what it declares is set).</summary>
    public static OnnxImportOptions Read(ModelProto model, string path)
    {
        var props = model.MetadataProps.Where(p => p.Key.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
            .GroupBy(p => p.Key.ToLowerInvariant()).ToDictionary(g => g.Key, g => g.Last().Value.Trim());
        foreach (var key in props.Keys)
            if (!Keys.Contains(key)) throw new InvalidDataException($"'{path}': metadata key '{key}' is not one ConvViz reads ({string.Join(", ", Keys)}).");
        string? Get(string key) => props.TryGetValue(key, out var v) && v.Length > 0 ? v : null;
        InvalidDataException Bad(string key, string why) => new($"'{path}': metadata '{key}' = '{props[key]}' {why}.");

        var o = new OnnxImportOptions();
        if (Get("convviz.preset") is { } preset)
        {
            if (!InputConvention.PresetNames.Contains(preset, StringComparer.OrdinalIgnoreCase)) throw Bad("convviz.preset", $"is not one of {string.Join(", ", InputConvention.PresetNames)}");
            o = o with { Preset = preset };
        }
        if (Get("convviz.input_size") is { } size)
        {
            var hw = ParseLongs(size) ?? throw Bad("convviz.input_size", "is not one size or H,W");
            if (hw.Length is not (1 or 2) || hw.Any(v => v <= 0 || v > 8192)) throw Bad("convviz.input_size", "is not one size or H,W of positive sizes");
            o = o with { Height = (int)hw[0], Width = (int)hw[^1] };
        }
        if (Get("convviz.pixel_range") is { } range)
        {
            if (range is not ("1" or "255")) throw Bad("convviz.pixel_range", "is not 1 or 255");
            o = o with { PixelMax = float.Parse(range, CultureInfo.InvariantCulture) };
        }
        if (Get("convviz.channel_order") is { } order)
        {
            if (!Enum.TryParse<ChannelOrder>(order, true, out var co)) throw Bad("convviz.channel_order", "is not RGB or BGR");
            o = o with { ChannelOrder = co };
        }
        if (Get("convviz.mean") is { } mean) o = o with { Mean = ParseFloats(mean) ?? throw Bad("convviz.mean", "is not a comma-separated list of numbers") };
        if (Get("convviz.std") is { } std) o = o with { Std = ParseFloats(std) ?? throw Bad("convviz.std", "is not a comma-separated list of numbers") };
        if (Get("convviz.resize") is { } resize) o = o with { Resize = ParseResize(resize) ?? throw Bad("convviz.resize", "is not CenterCrop or Stretch") };
        if (Get("convviz.resize_to") is { } to)
        {
            var v = ParseLongs(to);
            if (v is not { Length: 1 } || v[0] <= 0) throw Bad("convviz.resize_to", "is not a positive size");
            o = o with { ResizeTo = (int)v[0] };
        }
        return o;
    }

    public static ResizeMode? ParseResize(string text) => text.ToLowerInvariant() switch
    {
        "centercrop" => ResizeMode.ShorterSideThenCenterCrop,
        "stretch" => ResizeMode.Stretch,
        _ => null,
    };

    /// <summary>
    /// Combines the user's options with the file's declarations into the model's input.
    /// <paramref name="fileHeight"/> and <paramref name="fileWidth"/> are the file's fixed input size (0 where symbolic).
    /// </summary>
    public static InputSpec Resolve(OnnxImportOptions user, OnnxImportOptions file, long channels, long fileHeight, long fileWidth)
    {
        var userPreset = user.Preset is null ? ((InputConvention, ResizeMode)?)null : InputConvention.Preset(user.Preset);
        var filePreset = file.Preset is null ? ((InputConvention, ResizeMode)?)null : InputConvention.Preset(file.Preset);
        // Layers of declarations, strongest first.
        InputConvention? up = userPreset?.Item1, fp = filePreset?.Item1;

        float? pixel = user.PixelMax ?? up?.PixelMax ?? file.PixelMax ?? fp?.PixelMax;
        ChannelOrder? order = user.ChannelOrder ?? up?.ChannelOrder ?? file.ChannelOrder ?? fp?.ChannelOrder;
        // A preset's mean/std travel together with its pixel range: a user preset hides the file's values.
        float[]? mean = user.Mean ?? (up is not null ? up.Mean : file.Mean ?? fp?.Mean);
        float[]? std = user.Std ?? (up is not null ? up.Std : file.Std ?? fp?.Std);
        ResizeMode? resize = user.Resize ?? userPreset?.Item2 ?? file.Resize ?? filePreset?.Item2;
        int? resizeTo = user.ResizeTo ?? file.ResizeTo;

        bool userDeclared = user.Preset is not null || user.PixelMax is not null || user.ChannelOrder is not null || user.Mean is not null || user.Std is not null;
        bool fileDeclared = file.Preset is not null || file.PixelMax is not null || file.ChannelOrder is not null || file.Mean is not null || file.Std is not null;

        long height = user.Height ?? file.Height ?? (fileHeight > 0 ? fileHeight : 224);
        long width = user.Width ?? file.Width ?? (fileWidth > 0 ? fileWidth : 224);
        var mode = resize ?? ResizeMode.Stretch;
        // torchvision's eval transform crops 224 from 256: the shorter side is the crop / 0.875.
        int to = resizeTo ?? (int)Math.Round(Math.Max(width, height) / 0.875, MidpointRounding.AwayFromZero);
        if (mode == ResizeMode.Stretch) to = (int)Math.Max(width, height);

        InputConvention convention;
        if (user.ConventionInGraph) convention = InputConvention.InGraph(pixel ?? 255f);
        else if (!userDeclared && !fileDeclared) convention = InputConvention.Unknown;
        else
        {
            // A user preset sets every part, so the file's values are then unused.
            bool presetOnly = user.Preset is not null && user.PixelMax is null && user.ChannelOrder is null && user.Mean is null && user.Std is null;
            string origin = !userDeclared ? "file metadata"
                : presetOnly ? $"preset {user.Preset!.ToLowerInvariant()}"
                : fileDeclared && user.Preset is null ? "parameters and file metadata"
                : "parameters";
            convention = new InputConvention { PixelMax = pixel ?? 255f, ChannelOrder = order ?? ChannelOrder.RGB, Mean = mean, Std = std, Origin = origin };
        }
        Check(convention, channels);
        return new InputSpec((int)width, (int)height, mode, to, convention.PixelMax) { Convention = convention };
    }

    private static void Check(InputConvention c, long channels)
    {
        if (c.PixelMax is not (1f or 255f)) throw new InputConventionException($"Pixel range {InputConvention.Num(c.PixelMax)} is not 1 or 255.");
        if (c.ChannelOrder == ChannelOrder.BGR && channels != 3) throw new InputConventionException($"Channel order BGR needs a 3-channel input; the model takes {channels}.");
        foreach (var (v, what) in new[] { (c.Mean, "Mean"), (c.Std, "Std") })
        {
            if (v is null) continue;
            if (v.Length != 1 && v.Length != channels) throw new InputConventionException($"{what} has {v.Length} values; the model takes {channels} channels (give {channels} values, or one for all).");
            if (v.Any(x => !float.IsFinite(x))) throw new InputConventionException($"{what} has a value that is not a finite number.");
        }
        if (c.Std is { } s && s.Any(x => x <= 0)) throw new InputConventionException("Std values must be positive.");
    }

    private static long[]? ParseLongs(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var result = new long[parts.Length];
        for (int i = 0; i < parts.Length; i++) if (!long.TryParse(parts[i], NumberStyles.Integer, CultureInfo.InvariantCulture, out result[i])) return null;
        return result;
    }

    private static float[]? ParseFloats(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var result = new float[parts.Length];
        for (int i = 0; i < parts.Length; i++) if (!float.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out result[i])) return null;
        return result;
    }
}

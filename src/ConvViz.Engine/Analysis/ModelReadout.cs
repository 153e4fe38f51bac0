using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using ConvViz.Engine.Models;
using static TorchSharp.torch;

namespace ConvViz.Engine.Analysis;

/// <summary>What the analyses read from a model: class probabilities, feature vectors, default layers, class names.</summary>
public static class ModelReadout
{
    public static bool IsClassifier(ConvModel model) => model.Output is ModelOutputKind.Logits or ModelOutputKind.Probabilities;

    /// <summary>N x K probabilities from the final node's output (softmax of logits; probabilities as they are).</summary>
    public static Tensor Probabilities(ConvModel model, Tensor output)
    {
        var flat = output.reshape(output.shape[0], -1);
        return model.Output switch
        {
            ModelOutputKind.Logits => nn.functional.softmax(flat.to_type(ScalarType.Float64), 1).to_type(ScalarType.Float32),
            ModelOutputKind.Probabilities => flat,
            _ => throw new InvalidOperationException($"Model '{model.Name}' outputs {model.Output}, not class scores."),
        };
    }

    /// <summary>
    /// The default feature map layer: the last layer (forward order) whose output is a
    /// C x H x W map, i.e. the top convolutional stage, before any pooling to a vector.
    /// </summary>
    public static LayerSpec TopSpatialLayer(ConvModel model)
        => model.Layers.All.LastOrDefault(l => model.Graph.ShapeOf(l.Activation).Length == 3)
            ?? throw new ArgumentException($"Model '{model.Name}' has no layer with a C x H x W output to measure.");

    /// <summary>A low, a middle and the top layer (first, middle and last in forward order), as in the paper's Figure 5.</summary>
    public static IReadOnlyList<LayerSpec> LowMiddleTop(ConvModel model)
    {
        var all = model.Layers.All;
        if (all.Count == 0) throw new ArgumentException($"Model '{model.Name}' has no layers.");
        return new[] { all[0], all[all.Count / 2], all[^1] }.Distinct().ToList();
    }

    public static long ClassCount(ConvModel model)
    {
        var shape = model.Graph.ShapeOf(model.Graph.OutputNode);
        return shape.Aggregate(1L, (a, b) => a * b);
    }

    public static string? ClassName(ConvModel model, int index)
        => model.ClassNames is { } names && index >= 0 && index < names.Count ? names[index] : null;

    /// <summary>A class given as its index ("281") or its name (case-insensitive, exact), checked against the model.</summary>
    public static int ResolveClass(ConvModel model, string nameOrIndex)
    {
        ArgumentException.ThrowIfNullOrEmpty(nameOrIndex);
        if (!IsClassifier(model))
            throw new ArgumentException($"Model '{model.Name}' outputs {model.Output}; it has no classes, so -Class '{nameOrIndex}' cannot be used.");
        long count = ClassCount(model);
        if (int.TryParse(nameOrIndex.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out int index))
        {
            if (index < 0 || index >= count)
                throw new ArgumentOutOfRangeException(nameof(nameOrIndex), index, $"Model '{model.Name}' has classes 0..{count - 1}; {index} is not one.");
            return index;
        }
        var names = model.ClassNames ?? throw new ArgumentException($"Model '{model.Name}' has no class names; give the class as an index 0..{count - 1}.");
        for (int i = 0; i < names.Count; i++)
            if (string.Equals(names[i], nameOrIndex.Trim(), StringComparison.OrdinalIgnoreCase)) return i;
        var near = NameMatch.Nearest(nameOrIndex.Trim(), names);
        string hint = near.Count == 0 ? "" : $"; did you mean '{string.Join("', '", near)}'?";
        throw new ArgumentException($"Model '{model.Name}' has no class named '{nameOrIndex}'{hint}");
    }

    /// <summary>Checks a class index against the model's output.</summary>
    internal static void CheckClass(ConvModel model, int index)
    {
        long count = ClassCount(model);
        if (index < 0 || index >= count)
            throw new ArgumentOutOfRangeException(nameof(index), index, $"Model '{model.Name}' has classes 0..{count - 1}; {index} is not one.");
    }

    /// <summary>Checks that a tensor is a 1 x 3 x H x W image of the model's input size.</summary>
    internal static void CheckImage(ConvModel model, Tensor image, string what)
    {
        var s = image.shape;
        if (s.Length != 4 || s[0] != 1 || s[1] != 3 || s[2] != model.Input.Height || s[3] != model.Input.Width)
            throw new ArgumentException($"{what} must be 1x3x{model.Input.Height}x{model.Input.Width} (the input of model '{model.Name}'), got {string.Join("x", s)}.");
        if (image.dtype != ScalarType.Float32)
            throw new ArgumentException($"{what} must be float32, got {image.dtype}.");
    }
}

using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using ConvViz.Engine.Image;
using ConvViz.Engine.Models;
using ConvViz.Engine.Taps;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using static TorchSharp.torch;

namespace ConvViz.Engine.Analysis;

/// <summary>
/// Invariance to translation, scale and rotation (Zeiler and Fergus 2014, Figure 5). Each
/// transform is applied to the ORIGINAL image (<see cref="ImageTransforms"/>), and the result is
/// fitted to the model input like any photo (<see cref="ImageFitter"/>), so a zoom shows real
/// detail rather than upsampled input pixels. Translation amounts are in model-input pixels and
/// become round(amount / scale) original pixels. Transformed copies run BatchSize at a time,
/// each batch in its own dispose scope.
/// </summary>
public static class InvarianceAnalysis
{
    /// <summary>Decodes <paramref name="path"/> (EXIF, limits: <see cref="ImageDecoder"/>) and measures it.</summary>
    public static IReadOnlyList<InvarianceMeasurement> Run(ConvModel model, string path, InvarianceOptions? options = null,
        Action<AnalysisProgress>? progress = null, CancellationToken cancellation = default)
    {
        using var image = ImageDecoder.Decode(path);
        return Run(model, image, options, progress, cancellation);
    }

    public static IReadOnlyList<InvarianceMeasurement> Run(ConvModel model, Image<Rgb24> original, InvarianceOptions? options = null,
        Action<AnalysisProgress>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(original);
        options ??= new InvarianceOptions();
        options.Validate();
        var amounts = options.ResolvedAmounts();
        bool classifier = ModelReadout.IsClassifier(model);
        if (!classifier && options.Class is not null)
            throw new ArgumentException($"Model '{model.Name}' outputs {model.Output}; it has no classes to choose with Class {options.Class}.");
        var layers = options.Layers is null ? ModelReadout.LowMiddleTop(model) : model.Layers.Resolve(options.Layers);
        if (layers.Count == 0) throw new ArgumentException($"No layers of model '{model.Name}' to measure.");
        var taps = layers.Select(l => l.Activation).Append(model.Graph.OutputNode).Distinct().ToArray();

        var spec = model.Input;
        var geometry = ImageFitter.Plan(original.Width, original.Height, spec);
        var fill = ImageTransforms.FillOf(original, options.Fill);
        long inputSize = 3L * spec.Width * spec.Height;
        var device = model.Device;

        using var outer = NewDisposeScope();
        // The untransformed image: reference features per layer, and the class to follow.
        var reference = new Dictionary<int, Tensor>();
        int cls = -1;
        using (var first = NewDisposeScope())
        {
            var fitted = ImageFitter.Fit(original, spec);
            var input = tensor(fitted.Pixels, new long[] { 1, 3, spec.Height, spec.Width }).to(device);
            var values = ForwardPass.Run(model.Graph, input, taps);
            foreach (var layer in layers)
                reference[layer.Activation] = values[layer.Activation].reshape(-1).to_type(ScalarType.Float64).MoveToOuterDisposeScope();
            if (classifier)
            {
                var probs = ModelReadout.Probabilities(model, values[model.Graph.OutputNode])[0];
                cls = options.Class ?? (int)probs.argmax().item<long>();
                ModelReadout.CheckClass(model, cls);
            }
        }
        string? className = classifier ? ModelReadout.ClassName(model, cls) : null;

        var results = new List<InvarianceMeasurement>(amounts.Count * layers.Count);
        progress?.Invoke(new AnalysisProgress($"{options.Transform}", 0, amounts.Count));
        for (int start = 0; start < amounts.Count; start += options.BatchSize)
        {
            cancellation.ThrowIfCancellationRequested();
            int b = Math.Min(options.BatchSize, amounts.Count - start);
            var buffer = new float[b * inputSize];
            for (int k = 0; k < b; k++)
            {
                cancellation.ThrowIfCancellationRequested();
                using var transformed = Apply(original, options.Transform, options.Direction, amounts[start + k], geometry, fill);
                ImageFitter.FitInto(transformed, spec, buffer.AsSpan((int)(k * inputSize), (int)inputSize));
            }
            using var scope = NewDisposeScope();
            var batch = tensor(buffer, new long[] { b, 3, spec.Height, spec.Width }).to(device);
            var values = ForwardPass.Run(model.Graph, batch, taps);
            var distances = new Dictionary<int, double[]>();
            foreach (var layer in layers)
            {
                var flat = values[layer.Activation].reshape(b, -1).to_type(ScalarType.Float64);
                // Double precision: the squared differences of ~10^5 activations are summed.
                distances[layer.Activation] = (flat - reference[layer.Activation].unsqueeze(0)).square().sum(1).sqrt().cpu().data<double>().ToArray();
            }
            float[]? probability = classifier
                ? ModelReadout.Probabilities(model, values[model.Graph.OutputNode]).select(1, cls).cpu().data<float>().ToArray()
                : null;
            for (int k = 0; k < b; k++)
                foreach (var layer in layers)
                    results.Add(new InvarianceMeasurement(options.Transform, amounts[start + k], layer.Name, distances[layer.Activation][k],
                        classifier ? cls : null, className, probability?[k]));
            progress?.Invoke(new AnalysisProgress($"{options.Transform}", start + b, amounts.Count));
        }
        return results;
    }

    /// <summary>One transformed copy of the original. Translation amounts are model-input pixels.</summary>
    public static Image<Rgb24> Apply(Image<Rgb24> original, InvarianceTransform transform, TranslateDirection direction,
        double amount, ImageGeometry geometry, Rgb24 fill)
    {
        switch (transform)
        {
            case InvarianceTransform.Translate:
                int dx = direction == TranslateDirection.Vertical ? 0 : (int)Math.Round(amount / geometry.ScaleX, MidpointRounding.AwayFromZero);
                int dy = direction == TranslateDirection.Horizontal ? 0 : (int)Math.Round(amount / geometry.ScaleY, MidpointRounding.AwayFromZero);
                return ImageTransforms.Translate(original, dx, dy, fill);
            case InvarianceTransform.Scale: return ImageTransforms.Scale(original, amount, fill);
            case InvarianceTransform.Rotate: return ImageTransforms.Rotate(original, amount, fill);
            default: throw new ArgumentOutOfRangeException(nameof(transform), transform, "Unknown transform.");
        }
    }
}

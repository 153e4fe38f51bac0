using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using ConvViz.Engine.Graph;
using ConvViz.Engine.Image;
using ConvViz.Engine.Models;
using ConvViz.Engine.Taps;
using static TorchSharp.torch;

namespace ConvViz.Engine.Analysis;

/// <summary>
/// Occlusion sensitivity (Zeiler and Fergus 2014, section 4.2, Figure 7): a square of
/// <see cref="FillMode"/> colour slides over the image on an <see cref="OcclusionGrid"/>, and for
/// each position the network is run on the occluded copy. A classifier gives the probability of
/// the chosen class and the most probable class; every model gives the total activation of one
/// feature map; a feature extractor gives the cosine distance of its output from the unoccluded
/// output. Copies go through the network BatchSize at a time, each batch in its own dispose scope.
/// </summary>
public static class OcclusionSensitivity
{
    /// <summary>Runs on a fitted image (3 x H x W floats in [0, PixelMax]) and keeps its geometry for mapping cells back.</summary>
    public static OcclusionResult Run(ConvModel model, FittedImage image, OcclusionOptions? options = null,
        Action<AnalysisProgress>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(image);
        using var scope = NewDisposeScope();
        var t = tensor(image.Pixels, new long[] { 1, 3, image.Geometry.InputHeight, image.Geometry.InputWidth });
        return Run(model, t, options, image.Geometry, progress, cancellation);
    }

    /// <param name="image">1 x 3 x H x W raw RGB in [0, PixelMax] at the model's input size, any device.</param>
    /// <param name="geometry">How the original image became <paramref name="image"/>; null when there is no original.</param>
    public static OcclusionResult Run(ConvModel model, Tensor image, OcclusionOptions? options = null, ImageGeometry? geometry = null,
        Action<AnalysisProgress>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(image);
        options ??= OcclusionOptions.Default;
        options.Validate();
        ModelReadout.CheckImage(model, image, "The image to occlude");
        int h = model.Input.Height, w = model.Input.Width;
        var grid = new OcclusionGrid(w, h, options.PatchSize, options.Stride, geometry);
        bool classifier = ModelReadout.IsClassifier(model);
        if (!classifier && options.Class is not null)
            throw new ArgumentException($"Model '{model.Name}' outputs {model.Output}; it has no classes to choose with Class {options.Class}.");

        var layer = options.Layer is null ? ModelReadout.TopSpatialLayer(model) : model.Layers.Get(options.Layer);
        int featureNode = layer.Activation;
        int outputNode = model.Graph.OutputNode;
        var taps = new[] { featureNode, outputNode };
        long units = model.Graph.ShapeOf(featureNode)[0];
        if (options.Unit is int u && u >= units)
            throw new ArgumentOutOfRangeException(nameof(options), u, $"Layer '{layer.Name}' of model '{model.Name}' has units 0..{units - 1}; {u} is not one.");

        using var outer = NewDisposeScope();
        var device = model.Device;
        var input = image.to(device);
        var pixels = image.cpu().data<float>().ToArray();
        var fill = FillColor.Of(options.Fill, pixels, model.Input.PixelMax);

        // The unoccluded image: baselines and the defaults for class and unit.
        int unit, cls = -1, baseTop = -1;
        float baseProb = float.NaN, baseAct;
        float[]? baseFeatures = null;
        using (NewDisposeScope())
        {
            var values = ForwardPass.Run(model.Graph, input, taps);
            var sums = values[featureNode].reshape(1, units, -1).sum(2)[0].cpu().data<float>().ToArray();
            unit = options.Unit ?? ArgMax(sums);
            baseAct = sums[unit];
            if (classifier)
            {
                var probs = ModelReadout.Probabilities(model, values[outputNode])[0].cpu().data<float>().ToArray();
                baseTop = ArgMax(probs);
                cls = options.Class ?? baseTop;
                ModelReadout.CheckClass(model, cls);
                baseProb = probs[cls];
            }
            else
            {
                baseFeatures = values[outputNode].reshape(-1).cpu().data<float>().ToArray();
            }
        }

        int n = grid.Count;
        var probability = classifier ? new float[n] : null;
        var topClass = classifier ? new int[n] : null;
        var activation = new float[n];
        var distance = classifier ? null : new float[n];
        var fillTensor = tensor(fill, new long[] { 1, 3, 1, 1 }).to(device);
        var reference = baseFeatures is null ? null : tensor(baseFeatures).to(device);
        progress?.Invoke(new AnalysisProgress("Occluding", 0, n));

        for (int start = 0; start < n; start += options.BatchSize)
        {
            cancellation.ThrowIfCancellationRequested();
            int b = Math.Min(options.BatchSize, n - start);
            using var batchScope = NewDisposeScope();
            var boxes = new PixelBox?[b];
            for (int k = 0; k < b; k++) boxes[k] = grid.OccluderBox((start + k) / grid.Cols, (start + k) % grid.Cols);
            var batch = OccludedCopies.Of(input, fillTensor, boxes);
            var values = ForwardPass.Run(model.Graph, batch, taps);

            var act = values[featureNode].reshape(b, units, -1).select(1, unit).sum(1).cpu().data<float>().ToArray();
            act.CopyTo(activation, start);
            if (classifier)
            {
                var probs = ModelReadout.Probabilities(model, values[outputNode]);
                probs.select(1, cls).cpu().data<float>().ToArray().CopyTo(probability!, start);
                var top = probs.argmax(1).cpu().data<long>().ToArray();
                for (int k = 0; k < b; k++) topClass![start + k] = (int)top[k];
            }
            else
            {
                var features = values[outputNode].reshape(b, -1);
                var cos = nn.functional.cosine_similarity(features, reference!.unsqueeze(0).expand_as(features), 1, 1e-12);
                (1 - cos).cpu().data<float>().ToArray().CopyTo(distance!, start);
            }
            progress?.Invoke(new AnalysisProgress("Occluding", start + b, n));
        }

        return new OcclusionResult(grid, options.Fill, fill, classifier ? cls : null, classifier ? ModelReadout.ClassName(model, cls) : null,
            classifier ? baseProb : null, classifier ? baseTop : null, probability, topClass,
            layer.Name, unit, baseAct, activation, distance);
    }

    private static int ArgMax(IReadOnlyList<float> values)
    {
        int best = 0;
        for (int i = 1; i < values.Count; i++) if (values[i] > values[best]) best = i;
        return best;
    }
}

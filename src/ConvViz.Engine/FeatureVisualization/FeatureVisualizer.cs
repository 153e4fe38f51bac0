using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using ConvViz.Engine.Models;
using ConvViz.Engine.Runtime;
using static TorchSharp.torch;

namespace ConvViz.Engine.FeatureVisualization;

/// <summary>
/// Feature visualisation by optimisation (Olah, Mordvintsev &amp; Schubert, Distill 2017): an
/// image optimised from noise to maximise (or, negated, minimise) one unit, through the model's
/// own graph with autograd. The image lives in a decorrelated space (<see cref="FourierImage"/>,
/// <see cref="ColorDecorrelation"/>) and reaches the graph through a sigmoid into the raw RGB
/// range [0, PixelMax] (the graph holds its own normalisation as nodes) and, each step,
/// <see cref="RobustTransforms"/>. Adam (beta 0.9 / 0.999, eps 1e-8 plus <see cref="RelativeEpsilon"/>) with
/// <see cref="VisualizationOptions.LearningRate"/>. Units of one layer node share a batch
/// (one image per unit; the loss is the sum of their objectives, so each image gets its own
/// gradient). Each unit's start and transform draws come from its own seeded generator: on the
/// CPU a seed gives the same image, whatever the other units of the batch (up to the float
/// rounding that batch geometry brings, see DEVELOPERS.md).
/// </summary>
public static class FeatureVisualizer
{
    private const double Beta1 = 0.9, Beta2 = 0.999, Epsilon = 1e-8;

    /// <summary>
    /// Adam's denominator also gets this fraction of the image's largest per-coefficient gradient RMS. With
    /// only Lucid's absolute 1e-8, a coefficient whose gradient is a thousandth of the strongest still takes
    /// full-size steps (Adam divides the magnitude away): for a pattern repeated in tiles, every coefficient
    /// off the tiles' harmonics has such a gradient (from the sigmoid's per-pixel slopes), and their steps
    /// saturated 7% of the pixels on the wrong side: a 2 x 2 tiled filter was recovered at correlation 0.84,
    /// with this at 0.999 (DEVELOPERS.md, Feature visualisation).
    /// </summary>
    private const double RelativeEpsilon = 0.01;

    public static IEnumerable<VisualizationResult> Run(ConvModel model, IReadOnlyList<VisualizationRequest> requests, VisualizationOptions options,
        Action<VisualizationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        options.Validate();
        NativeEnvironment.EnsureInitialized();
        var device = Devices.Resolve(options.Device);
        if (model.Device != device) model.To(options.Device);
        foreach (var r in requests) Check(model, r);

        var batches = requests.GroupBy(r => r.Node).SelectMany(g => g.Chunk(options.BatchSize)).ToList();
        long total = (long)requests.Count * options.Steps, done = 0;
        for (int b = 0; b < batches.Count; b++)
        {
            var results = RunBatch(model, batches[b], options, steps =>
            {
                done += steps;
                progress?.Invoke(new VisualizationProgress(done, total, b, batches.Count));
            }, cancellationToken);
            progress?.Invoke(new VisualizationProgress(done, total, b + 1, batches.Count));
            foreach (var r in results) yield return r;
        }
    }

    private static void Check(ConvModel model, VisualizationRequest r)
    {
        if (r.Node <= 0 || r.Node >= model.Graph.Nodes.Count)
            throw new ArgumentOutOfRangeException(nameof(r.Node), r.Node, $"Layer '{r.Layer}' names node {r.Node}, which model '{model.Name}' does not have.");
        var shape = model.Graph.ShapeOf(r.Node);
        long channels = shape.Length == 0 ? 1 : shape[0];
        if (r.Unit < 0 || r.Unit >= channels)
            throw new ArgumentOutOfRangeException(nameof(r.Unit), r.Unit, $"Unit {r.Unit} is outside layer '{r.Layer}' of model '{model.Name}', which has {channels} units (0..{channels - 1}).");
    }

    private static List<VisualizationResult> RunBatch(ConvModel model, VisualizationRequest[] batch, VisualizationOptions o, Action<int> stepDone, CancellationToken token)
    {
        int n = batch.Length, size = o.Size;
        float pixelMax = model.Input.PixelMax;
        var randoms = batch.Select(r => new Random(r.SeedFor(o.Seed))).ToArray();
        var start = new float[n * 3 * size * (size / 2 + 1) * 2];
        for (int i = 0; i < n; i++)
        {
            var one = FourierImage.RandomStart(randoms[i], size, size);
            Array.Copy(one, 0, start, i * one.Length, one.Length);
        }
        var transforms = new RobustTransforms(size);
        var signs = batch.Select(r => r.Negative ? -1f : 1f).ToArray();
        int node = batch[0].Node;
        int inH = (int)model.Graph.InputShape[1], inW = (int)model.Graph.InputShape[2];

        // The scans' and projections' thread count (Runtime/ThreadPlan), set on the thread that runs the steps.
        using var threads = ThreadPlan.For(model.Device).Apply();
        using var scope = NewDisposeScope();
        var coefficients = tensor(start, FourierImage.ShapeOf(n, size, size), device: model.Device).requires_grad_(true);
        var m = zeros_like(coefficients).requires_grad_(false);
        var v = zeros_like(coefficients).requires_grad_(false);
        var scale = FourierImage.Scale(size, size, model.Device);
        var sign = tensor(signs, device: model.Device);

        var (startValues, _) = Evaluate(model, coefficients, scale, batch, size, pixelMax);
        for (int step = 1; step <= o.Steps; step++)
        {
            token.ThrowIfCancellationRequested();
            using var stepScope = NewDisposeScope();
            Tensor gradient;
            float lossValue;
            using (enable_grad())
            {
                var pixels = Pixels(coefficients, scale, size, pixelMax);
                var input = o.Transforms
                    ? transforms.Apply(pixels, randoms.Select(transforms.Draw).ToArray(), 0.5 * pixelMax, inH, inW)
                    : RobustTransforms.Place(pixels, inH, inW, 0.5 * pixelMax);
                var loss = -(Objective(model, input, node, batch, sign) * sign).sum();
                lossValue = loss.item<float>();
                if (!float.IsFinite(lossValue))
                    throw new InvalidOperationException($"Feature visualisation of layer '{batch[0].Layer}' (model '{model.Name}') reached a non-finite objective ({lossValue}) at step {step}; the gradient through the graph is not usable.");
                gradient = autograd.grad(new[] { loss }, new[] { coefficients })[0];
            }
            using (no_grad())
            {
                double c1 = 1 - Math.Pow(Beta1, step), c2 = 1 - Math.Pow(Beta2, step);
                m.mul_(Beta1).add_(gradient, alpha: 1 - Beta1);
                v.mul_(Beta2).addcmul_(gradient, gradient, value: 1 - Beta2);
                using var root = (v / c2).sqrt_();
                // Per image: its largest coefficient's gradient RMS times RelativeEpsilon, added to every coefficient's.
                using var floor = root.flatten(1).amax(new long[] { 1 }).mul_(RelativeEpsilon).add_(Epsilon).view(-1, 1, 1, 1, 1);
                using var denominator = root.add(floor);
                coefficients.addcdiv_(m, denominator, value: -o.LearningRate / c1);
            }
            stepDone(n);
        }
        var (finalValues, maxima) = Evaluate(model, coefficients, scale, batch, size, pixelMax);
        float[] all;
        using (no_grad())
        using (var pixels = Pixels(coefficients, scale, size, pixelMax))
            all = pixels.cpu().data<float>().ToArray();
        int plane = 3 * size * size;
        return batch.Select((r, i) => new VisualizationResult(r, size, pixelMax, all.AsSpan(i * plane, plane).ToArray(),
            finalValues[i], maxima[i], startValues[i], o.Steps, o.Seed)).ToList();
    }

    /// <summary>
    /// What a step maximises (times the sign), per image. When the node is a ReLU and an image's unit is
    /// zero there (every position of the channel, or the centre neuron, below zero: usual for deep units
    /// of a grey start), the ReLU passes no gradient and the image would stay where it started; that
    /// image then follows the unit's pre-activation until the unit wakes (Lucid's redirected ReLU,
    /// applied to the unit's own ReLU only). Minimising needs no redirect: zero is already the least.
    /// </summary>
    private static Tensor Objective(ConvModel model, Tensor input, int node, VisualizationRequest[] batch, Tensor sign)
    {
        var graphNode = model.Graph.Nodes[node];
        if (graphNode.Op is not Graph.Ops.ReluOp { Slope: 0 } || graphNode.Inputs.Length != 1)
            return ObjectiveValues(GradientForward.Run(model.Graph, input, node), batch);
        var pre = GradientForward.Run(model.Graph, input, graphNode.Inputs[0]);
        var values = ObjectiveValues(pre.relu(), batch);
        var dead = values.eq(0).logical_and(sign.gt(0));
        return where(dead, ObjectiveValues(pre, batch), values);
    }

    /// <summary>The images in model pixels: sigmoid of the decorrelated image, times PixelMax.</summary>
    private static Tensor Pixels(Tensor coefficients, Tensor scale, int size, float pixelMax)
    {
        using var spatial = FourierImage.ToSpatial(coefficients, scale, size, size);
        using var rgb = ColorDecorrelation.ToRgb(spatial);
        using var unit = rgb.sigmoid();
        return unit * pixelMax;
    }

    /// <summary>Each image's objective quantity (channel mean or centre neuron), without the sign.</summary>
    private static Tensor ObjectiveValues(Tensor act, VisualizationRequest[] batch)
    {
        var values = new Tensor[batch.Length];
        for (int i = 0; i < batch.Length; i++)
        {
            var map = act.select(0, i).select(0, batch[i].Unit);
            values[i] = batch[i].Objective == VisualizationObjective.Channel || map.dim() == 0
                ? map.mean()
                : map.dim() == 2 ? map[map.shape[0] / 2, map.shape[1] / 2] : map.flatten()[map.numel() / 2];
        }
        return stack(values);
    }

    /// <summary>Objective quantities and map maxima on the untransformed images.</summary>
    private static (float[] Values, float[] Max) Evaluate(ConvModel model, Tensor coefficients, Tensor scale, VisualizationRequest[] batch, int size, float pixelMax)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var pixels = Pixels(coefficients, scale, size, pixelMax);
        using var input = RobustTransforms.Place(pixels, (int)model.Graph.InputShape[1], (int)model.Graph.InputShape[2], 0.5 * pixelMax);
        var act = GradientForward.Run(model.Graph, input, batch[0].Node);
        var values = ObjectiveValues(act, batch).cpu().data<float>().ToArray();
        var max = new float[batch.Length];
        for (int i = 0; i < batch.Length; i++) max[i] = act.select(0, i).select(0, batch[i].Unit).max().item<float>();
        return (values, max);
    }
}

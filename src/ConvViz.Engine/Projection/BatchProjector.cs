using System;
using System.Collections.Generic;
using System.Linq;
using ConvViz.Engine.Graph;
using ConvViz.Engine.Models;
using ConvViz.Engine.Runtime;
using ConvViz.Engine.Taps;
using static TorchSharp.torch;

namespace ConvViz.Engine.Projection;

/// <summary>
/// Projects many activations back to pixel space. The images get one forward pass with
/// switches between them; then, per tapped layer and in chunks, every other activation of
/// the layer is set to zero, the chosen one keeps its value (Zeiler and Fergus), and the
/// signal goes down through each op's adjoint under the chosen rule.
/// </summary>
public static class BatchProjector
{
    /// <summary>How many projections go down together; bounds the memory of the way down.</summary>
    public const int DefaultChunk = 32;

    /// <param name="images">N x C x H x W model input, on the model's device.</param>
    /// <returns>One C x H x W reconstruction (row-major floats) per target, in input order.</returns>
    public static float[][] Project(ConvModel model, Tensor images, IReadOnlyList<ProjectionTarget> targets,
        ProjectionRule rule, int chunk = DefaultChunk)
        => ProjectActivations(model, images, targets, rule, chunk).Select(p => p.Pixels).ToArray();

    /// <summary>
    /// As <see cref="Project"/>, also reporting each activation's position and value. A target
    /// with a negative Y takes the unit's strongest position in its image.
    /// </summary>
    public static ProjectedActivation[] ProjectActivations(ConvModel model, Tensor images, IReadOnlyList<ProjectionTarget> targets,
        ProjectionRule rule, int chunk = DefaultChunk)
        => ProjectActivations(model, images, targets, new[] { rule }, chunk);

    public static ProjectedActivation[] ProjectActivations(ConvModel model, Tensor images, IReadOnlyList<ProjectionTarget> targets,
        IReadOnlyList<ProjectionRule> rules, int chunk = DefaultChunk)
    {
        ArgumentNullException.ThrowIfNull(rules);
        if (rules.Count == 0) throw new ArgumentException("At least one projection rule is needed.", nameof(rules));
        return ProjectActivations(model, images, targets, _ => rules, chunk);
    }

    /// <summary>
    /// As above, under several rules from ONE forward pass: the switches and ReLU states are
    /// recorded once, and each chunk goes down once per rule. <see cref="ProjectedActivation.Pixels"/>
    /// is the first rule's projection; <see cref="ProjectedActivation.ByRule"/> holds one per rule, in order.
    /// </summary>
    /// <param name="rulesFor">The rules for a tapped node (graph index), at least one.</param>
    /// <param name="windowed">Single-position targets go down on windows (<see cref="SignalWindow"/>): the same
    /// values as whole maps at a fraction of the work. False only to compare the two.</param>
    public static ProjectedActivation[] ProjectActivations(ConvModel model, Tensor images, IReadOnlyList<ProjectionTarget> targets,
        Func<int, IReadOnlyList<ProjectionRule>> rulesFor, int chunk = DefaultChunk, bool windowed = true)
    {
        ArgumentNullException.ThrowIfNull(rulesFor);
        var results = new ProjectedActivation[targets.Count];
        if (targets.Count == 0) return results;
        Validate(model, images, targets);
        // The scan's thread count (Runtime/ThreadPlan), set on this thread: OpenMP's count is per OS thread.
        using var threads = ThreadPlan.For(images.device).Apply();
        var graph = model.Graph;
        using var scope = NewDisposeScope();
        using var tape = new SwitchTape();
        var taps = targets.Select(t => t.Node).Distinct().ToArray();
        var values = ForwardPass.Run(graph, images, taps, tape);

        foreach (var group in targets.Select((t, i) => (t, i)).GroupBy(p => p.t.Node))
        {
            var activation = values[group.Key];
            var rules = rulesFor(group.Key);
            if (rules is null || rules.Count == 0) throw new ArgumentException($"No projection rule for node '{graph.Nodes[group.Key].Name}'.", nameof(rulesFor));
            foreach (var part in group.Chunk(Math.Max(1, chunk)))
            {
                using var inner = NewDisposeScope();
                var rows = tensor(part.Select(p => (long)p.t.Image).ToArray(), device: images.device);
                using var rowsTape = tape.Select(rows);
                var resolved = part.Select(p => Resolve(activation, p.t)).ToArray();
                var (signal, window) = windowed && activation.dim() == 4 && resolved.All(t => !t.KeepFeatureMap)
                    ? SeedAtPositions(activation, resolved)
                    : (Seed(activation, rows, resolved), null);
                var byRule = new float[part.Length][][];
                for (int k = 0; k < part.Length; k++) byRule[k] = new float[rules.Count][];
                for (int r = 0; r < rules.Count; r++)
                {
                    using var step = NewDisposeScope();
                    // A fresh copy of the seed per rule: no adjoint can leave its mark on the next rule's signal.
                    var data = Projector.Project(graph, group.Key, signal.clone(), window, rowsTape, rules[r]).cpu().data<float>().ToArray();
                    long size = data.Length / part.Length;
                    for (int k = 0; k < part.Length; k++) byRule[k][r] = data.AsSpan((int)(k * size), (int)size).ToArray();
                }
                for (int k = 0; k < part.Length; k++)
                {
                    var t = resolved[k];
                    float value = activation.dim() == 2 ? activation[t.Image, t.Unit].item<float>() : activation[t.Image, t.Unit, t.Y, t.X].item<float>();
                    results[part[k].i] = new ProjectedActivation(byRule[k][0], t.Y, t.X, value) { ByRule = byRule[k] };
                }
            }
        }
        return results;
    }

    // A negative Y asks for the unit's strongest position in the image (first in row-major order on ties).
    private static ProjectionTarget Resolve(Tensor activation, ProjectionTarget t)
    {
        if (t.Y >= 0 || activation.dim() == 2) return t;
        long width = activation.shape[3];
        long flat = activation[t.Image, t.Unit].flatten().argmax().item<long>();
        return t with { Y = flat / width, X = flat % width };
    }

    // Each target's value alone, as a 1 x 1 window at its position: the seed of Zeiler and Fergus without the zeros around it.
    private static (Tensor Signal, SignalWindow Window) SeedAtPositions(Tensor activation, ProjectionTarget[] part)
    {
        long channels = activation.shape[1];
        var signal = zeros(new long[] { part.Length, channels, 1, 1 }, activation.dtype, activation.device);
        for (int k = 0; k < part.Length; k++)
        {
            var t = part[k];
            signal[k, t.Unit, 0, 0] = activation[t.Image, t.Unit, t.Y, t.X];
        }
        var window = new SignalWindow(part.Select(t => t.Y).ToArray(), part.Select(t => t.X).ToArray(), 1, 1, activation.shape[2], activation.shape[3]);
        return (signal, window);
    }

    // The layer's activations with everything but the chosen value (or channel) set to zero.
    private static Tensor Seed(Tensor activation, Tensor rows, ProjectionTarget[] part)
    {
        var picked = activation.index_select(0, rows);
        var mask = zeros_like(picked);
        for (int k = 0; k < part.Length; k++)
        {
            var t = part[k];
            if (picked.dim() == 2) mask[k, t.Unit] = 1f;
            else if (t.KeepFeatureMap) mask[k, t.Unit] = 1f;
            else mask[k, t.Unit, t.Y, t.X] = 1f;
        }
        return picked * mask;
    }

    private static void Validate(ConvModel model, Tensor images, IReadOnlyList<ProjectionTarget> targets)
    {
        foreach (var t in targets)
        {
            if (t.Image < 0 || t.Image >= images.shape[0])
                throw new ArgumentOutOfRangeException(nameof(targets), $"Target image row {t.Image} is outside the batch of {images.shape[0]}.");
            var shape = model.Graph.ShapeOf(t.Node);
            string node = model.Graph.Nodes[t.Node].Name;
            if (t.Unit < 0 || t.Unit >= shape[0])
                throw new ArgumentOutOfRangeException(nameof(targets), $"Unit {t.Unit} is outside node '{node}', which has units 0..{shape[0] - 1}.");
            if (shape.Length == 3 && t.Y >= 0 && (t.Y >= shape[1] || t.X < 0 || t.X >= shape[2]))
                throw new ArgumentOutOfRangeException(nameof(targets), $"Position ({t.Y}, {t.X}) is outside node '{node}', whose map is {shape[1]}x{shape[2]}.");
        }
    }
}

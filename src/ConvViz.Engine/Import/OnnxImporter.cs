using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ConvViz.Engine.Graph;
using ConvViz.Engine.Graph.Ops;
using ConvViz.Engine.Models;
using Onnx;

namespace ConvViz.Engine.Import;

/// <summary>
/// Entry point of the ONNX import: one file, or a chain of files where each file's output
/// feeds the next file's input (a preprocessing graph in front of a network), becomes one
/// <see cref="ConvModel"/> whose every node has a forward pass and an exact adjoint.
/// </summary>
public static class OnnxImporter
{
    public static ConvModel Import(string path, OnnxImportOptions? options = null)
        => ImportChain(new[] { path }, options);

    public static ConvModel ImportChain(IReadOnlyList<string> paths, OnnxImportOptions? options = null)
    {
        if (paths.Count == 0) throw new ArgumentException("No ONNX file given.", nameof(paths));
        options ??= new OnnxImportOptions();
        var models = paths.Select(p => (Path: Path.GetFullPath(p), Model: OnnxModelReader.Read(p))).ToList();

        var first = models[0];
        var (inputName, shape) = ModelInput(first.Model, first.Path);
        long channels = shape[1];
        long height = options.Height ?? (shape[2] > 0 ? shape[2] : 224);
        long width = options.Width ?? (shape[3] > 0 ? shape[3] : 224);
        var builder = new GraphBuilder(channels, height, width);
        int output = 0;
        using (var translator = new OnnxOpTranslator(builder))
        {
            for (int f = 0; f < models.Count; f++)
            {
                var (path, model) = models[f];
                var graph = model.Graph;
                translator.BeginFile(path, OnnxModelReader.DefaultOpset(model));
                foreach (var init in graph.Initializer) translator.BindConstant(init.Name, OnnxInitializers.ToTensor(init, path));
                var input = f == 0 ? inputName : ModelInput(model, path).Name;
                translator.BindNode(input, output);
                foreach (var node in graph.Node) translator.Translate(node);
                var outName = graph.Output[0].Name;
                if (translator.IsConstant(outName))
                    throw new InvalidDataException($"'{path}': the graph output '{outName}' does not depend on the input '{input}'.");
                output = translator.NodeOf(outName);
            }
        }
        if (output == 0) throw new InvalidDataException($"'{models[^1].Path}': the graph output is its input; there is nothing to visualise.");

        var convGraph = builder.Build(output);
        try
        {
            string name = options.Name ?? Path.GetFileNameWithoutExtension(models[^1].Path);
            var layers = OnnxLayerTable.Build(convGraph, name);
            var kind = options.Output ?? GuessOutput(convGraph);
            var outShape = convGraph.ShapeOf(output);
            var classes = kind != ModelOutputKind.Features && outShape.Aggregate(1L, (a, b) => a * b) == 1000 ? ImageNetClasses.Names : null;
            var input = new InputSpec((int)width, (int)height, options.Resize, (int)Math.Max(width, height), options.PixelMax);
            return new ConvModel(name, options.Source ?? string.Join(" + ", models.Select(m => m.Path)), convGraph, layers, input, kind, classes);
        }
        catch
        {
            convGraph.Dispose();
            throw;
        }
    }

    /// <summary>The first graph input that is not an initializer, with its N x C x H x W shape (0 where symbolic).</summary>
    public static (string Name, long[] Shape) ModelInput(ModelProto model, string path)
    {
        var initializers = new HashSet<string>(model.Graph.Initializer.Select(i => i.Name));
        var input = model.Graph.Input.FirstOrDefault(i => !initializers.Contains(i.Name))
            ?? throw new InvalidDataException($"'{path}': the graph has no input that is not an initializer.");
        var dims = input.Type?.TensorType?.Shape?.Dim;
        if (dims is null || dims.Count != 4)
            throw new InvalidDataException($"'{path}': input '{input.Name}' must be batch x channels x height x width, but has {(dims is null ? "no declared shape" : $"rank {dims.Count}")}.");
        var shape = dims.Select(d => d.DimValue).ToArray();
        if (shape[1] <= 0) throw new InvalidDataException($"'{path}': input '{input.Name}' has no fixed channel count.");
        return (input.Name, shape);
    }

    private static ModelOutputKind GuessOutput(ConvGraph graph)
    {
        // Look through shape-only ops to the op that made the values.
        var node = graph.Nodes[graph.OutputNode];
        while (node.Op is ReshapeOp or IdentityOp && node.Inputs.Length == 1) node = graph.Nodes[node.Inputs[0]];
        return node.Op switch
        {
            SoftmaxOp => ModelOutputKind.Probabilities,
            LinearOp => ModelOutputKind.Logits,
            _ => ModelOutputKind.Features,
        };
    }
}

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
        var input = OnnxInputMetadata.Resolve(options, OnnxInputMetadata.Read(first.Model, first.Path), channels, shape[2], shape[3]);
        long height = input.Height, width = input.Width;
        // The input example is the first tensor of the budget: checked before it is allocated.
        OnnxOpTranslator.CheckInput(first.Path, inputName, new[] { 1, channels, height, width }, options.MaxTensorElements);
        var builder = new GraphBuilder(channels, height, width);
        int output = Preprocess(builder, input.Convention!);
        using (var translator = new OnnxOpTranslator(builder, first.Path, options.MaxTensorElements) { MaxTotalElements = options.MaxTotalElements })
        {
            for (int f = 0; f < models.Count; f++)
            {
                var (path, model) = models[f];
                var graph = model.Graph;
                translator.BeginFile(path, OnnxModelReader.DefaultOpset(model));
                foreach (var init in graph.Initializer) translator.BindConstant(init.Name, OnnxInitializers.ToTensor(init, path));
                var inName = f == 0 ? inputName : ModelInput(model, path).Name;
                translator.BindNode(inName, output);
                foreach (var node in graph.Node) translator.Translate(node);
                var outName = graph.Output[0].Name;
                if (translator.IsConstant(outName))
                    throw new InvalidDataException($"'{path}': the graph output '{outName}' does not depend on the input '{inName}'.");
                output = translator.NodeOf(outName);
            }
        }
        if (builder[output].Op is InputOp or ChannelPermuteOp || builder[output].Name == PreprocessNode) throw new InvalidDataException($"'{models[^1].Path}': the graph output is its input; there is nothing to visualise.");

        var convGraph = builder.Build(output);
        try
        {
            if (!convGraph.Nodes.Any(n => n.Op is Conv2dOp)) throw new NoConvolutionException(models[^1].Path);
            string name = options.Name ?? Path.GetFileNameWithoutExtension(models[^1].Path);
            var layers = OnnxLayerTable.Build(convGraph, name);
            var kind = options.Output ?? GuessOutput(convGraph);
            var outShape = convGraph.ShapeOf(output);
            var classes = kind != ModelOutputKind.Features && outShape.Aggregate(1L, (a, b) => a * b) == 1000 ? ImageNetClasses.Names : null;
            return new ConvModel(name, options.Source ?? string.Join(" + ", models.Select(m => m.Path)), convGraph, layers, input, kind, classes);
        }
        catch
        {
            convGraph.Dispose();
            throw;
        }
    }

    public const string ChannelOrderNode = "input_channel_order";
    public const string PreprocessNode = "input_normalize";

    /// <summary>
    /// The declared preprocessing as graph nodes in front of the imported graph (outside any
    /// state dict): RGB to the model's channel order, then (x - mean) / std as x * (1/std) - mean/std.
    /// </summary>
    private static int Preprocess(GraphBuilder builder, InputConvention convention)
    {
        int x = builder.Input;
        long channels = builder.InputShape[0];
        if (convention.ChannelOrder == ChannelOrder.BGR)
            x = builder.Add(ChannelOrderNode, new ChannelPermuteOp(new long[] { 2, 1, 0 }), x, prefix: "");
        if (!convention.Normalises) return x;
        float[] Per(float[]? v, float fallback) => v is null ? Enumerable.Repeat(fallback, (int)channels).ToArray()
            : v.Length == 1 ? Enumerable.Repeat(v[0], (int)channels).ToArray() : v;
        var mean = Per(convention.Mean, 0f);
        var std = Per(convention.Std, 1f);
        using var scale = TorchSharp.torch.tensor(std.Select(s => 1f / s).ToArray()).view(1, channels, 1, 1);
        using var shift = TorchSharp.torch.tensor(mean.Zip(std, (m, s) => -m / s).ToArray()).view(1, channels, 1, 1);
        return builder.Add(PreprocessNode, new AffineOp(scale, shift, "Normalize"), x, prefix: "");
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

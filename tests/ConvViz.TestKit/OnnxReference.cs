using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ConvViz.Engine.Models;
using ConvViz.Engine.Taps;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Onnx;
using static TorchSharp.torch;

namespace ConvViz.TestKit;

/// <summary>
/// ONNX Runtime as the independent reference for imported models. ORT only returns graph
/// outputs, so every node output is added as an extra graph output in an in-memory copy of
/// the model. Engine nodes are matched to ONNX values by the importer's naming rule: a
/// node is named after its ONNX node, or after its output when the node has no name.
/// </summary>
public static class OnnxReference
{
    /// <summary>Runs one file on one input and returns its first output.</summary>
    public static float[] Run(string onnxPath, float[] input, long[] shape)
        => RunChain(new[] { onnxPath }, input, shape).Final;

    /// <summary>Random input in [0, pixelMax) of the model's input shape (batch 1), from a seed.</summary>
    public static float[] RandomInput(ConvModel model, int seed, double pixelMax)
    {
        var rng = new Random(seed);
        var data = new float[model.Graph.InputShape.Aggregate(1L, (a, b) => a * b)];
        for (int i = 0; i < data.Length; i++) data[i] = (float)(rng.NextDouble() * pixelMax);
        return data;
    }

    /// <summary>Per-node max relative difference between the engine and ORT running the chain of files on the same input.</summary>
    public static NodeDifference[] Compare(ConvModel model, string[] onnxPaths, float[] input)
    {
        var shape = new long[] { 1 }.Concat(model.Graph.InputShape).ToArray();
        var (_, reference, valueOf) = RunChain(onnxPaths, input, shape);
        using var scope = NewDisposeScope();
        using var x = tensor(input).reshape(shape);
        var taps = Enumerable.Range(1, model.Graph.Nodes.Count - 1).ToArray();
        var values = ForwardPass.Run(model.Graph, x, taps);
        var result = new List<NodeDifference>();
        foreach (var node in model.Graph.Nodes.Skip(1))
        {
            if (!valueOf.TryGetValue(node.Name, out var key) || !reference.ContainsKey(key)) continue; // helper nodes (a Sub's negation) have no ONNX value of their own
            var mine = values[node.Index].contiguous().data<float>().ToArray();
            result.Add(new NodeDifference(node.Name, RelDiff(mine, reference[key])));
        }
        var final = model.Graph.Nodes[model.Graph.OutputNode].Name;
        if (!result.Any(r => r.Name == final)) throw new InvalidOperationException($"The engine's output node '{final}' has no ONNX Runtime value to compare with.");
        return result.ToArray();
    }

    /// <summary>Imports one file with the engine and compares every node on a seeded random input in [0, 1).</summary>
    public static NodeDifference[] CompareFile(string onnxPath, int seed)
    {
        using var model = ConvViz.Engine.Import.OnnxImporter.Import(onnxPath);
        return Compare(model, new[] { onnxPath }, RandomInput(model, seed, 1.0));
    }

    /// <summary>The pretrained resnet18 (preprocessing + network files) against ORT on a seeded random RGB 0..255 input.</summary>
    public static NodeDifference[] ComparePretrainedResNet18(ConvModel model, int seed)
    {
        var files = Pretrained.FilesOf("resnet18").Select(ModelStore.Require).ToArray();
        return Compare(model, files, RandomInput(model, seed, 255.0));
    }

    public static double RelDiff(float[] a, float[] b)
    {
        if (a.Length != b.Length) return double.PositiveInfinity;
        double diff = 0, scale = 0;
        for (int i = 0; i < a.Length; i++)
        {
            diff = Math.Max(diff, Math.Abs((double)a[i] - b[i]));
            scale = Math.Max(scale, Math.Abs((double)b[i]));
        }
        return scale == 0 ? diff : diff / scale;
    }

    private static (float[] Final, Dictionary<string, float[]> Values, Dictionary<string, string> ValueOf) RunChain(string[] files, float[] input, long[] shape)
    {
        var values = new Dictionary<string, float[]>(StringComparer.Ordinal);
        // Engine node name -> ONNX value name: the node's name (its output's when unnamed); Split outputs by their own names.
        var valueOf = new Dictionary<string, string>(StringComparer.Ordinal);
        var current = new DenseTensor<float>(input, shape.Select(d => (int)d).ToArray());
        float[] final = input;
        foreach (var file in files)
        {
            var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(file));
            foreach (var node in model.Graph.Node)
            {
                if (node.OpType == "Split") foreach (var o in node.Output) valueOf[o] = o;
                else if (node.Output.Count > 0) valueOf[node.Name.Length > 0 ? node.Name : node.Output[0]] = node.Output[0];
            }
            var outputs = model.Graph.Output.Select(o => o.Name).ToHashSet();
            foreach (var node in model.Graph.Node)
                foreach (var o in node.Output)
                    if (o.Length > 0 && outputs.Add(o))
                        model.Graph.Output.Add(new ValueInfoProto { Name = o }); // no type: ORT infers it (some values are int64 shapes)
            using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_DISABLE_ALL };
            using var session = new InferenceSession(model.ToByteArray(), options);
            using var results = session.Run(new[] { NamedOnnxValue.CreateFromTensor(session.InputMetadata.Keys.First(), current) });
            foreach (var r in results)
                if (r.Value is Tensor<float> t) values[r.Name] = t.ToArray();
            var outName = model.Graph.Output[0].Name;
            var outTensor = results.First(r => r.Name == outName).AsTensor<float>();
            final = outTensor.ToArray();
            current = new DenseTensor<float>(final, outTensor.Dimensions.ToArray());
        }
        return (final, values, valueOf);
    }
}

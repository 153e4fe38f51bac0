using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Google.Protobuf;
using Onnx;

namespace ConvViz.TestKit;

/// <summary>
/// Writes small ONNX files built in code, one per supported operator (and a few composite
/// and opset-variant ones), with random weights from a seed, plus one file with an
/// operator ConvViz does not support. Each file has input "x" (N x C x H x W) and output "y".
/// </summary>
public static class OnnxFactory
{
    public const string UnsupportedNodeName = "round_node";
    public const string UnsupportedOpType = "Round";

    /// <summary>Writes every single-op file into <paramref name="directory"/>; returns their paths.</summary>
    public static string[] WriteAll(string directory, int seed)
    {
        Directory.CreateDirectory(directory);
        var paths = new List<string>();
        foreach (var (name, opset, input, build) in Cases())
        {
            var g = new OnnxGraphWriter(name, opset, input, seed);
            var y = build(g);
            paths.Add(g.Save(Path.Combine(directory, name + ".onnx"), y));
        }
        return paths.ToArray();
    }

    /// <summary>A valid model whose middle node (named erf_node) uses Erf.</summary>
    public static string WriteUnsupported(string directory)
    {
        Directory.CreateDirectory(directory);
        var g = new OnnxGraphWriter("unsupported", 13, new long[] { 1, 3, 8, 8 }, 1);
        var c = g.Node("Conv", new[] { "x", g.Init("w", 4, 3, 3, 3) }, "conv", ("pads", new long[] { 1, 1, 1, 1 }));
        var e = g.Node(UnsupportedOpType, new[] { c }, UnsupportedNodeName);
        return g.Save(Path.Combine(directory, "unsupported.onnx"), g.Node("Relu", new[] { e }, "relu"));
    }

    /// <summary>The first <paramref name="keepBytes"/> bytes of a valid model: a truncated file.</summary>
    public static string WriteTruncated(string directory, int keepBytes)
    {
        Directory.CreateDirectory(directory);
        var full = WriteAll(Path.Combine(directory, "full"), 1).First();
        var bytes = File.ReadAllBytes(full);
        var path = Path.Combine(directory, "truncated.onnx");
        File.WriteAllBytes(path, bytes.Take(Math.Min(keepBytes, bytes.Length - 1)).ToArray());
        return path;
    }

    private static IEnumerable<(string Name, long Opset, long[] Input, Func<OnnxGraphWriter, string> Build)> Cases()
    {
        long[] small = { 1, 3, 12, 12 }, odd = { 1, 4, 11, 11 };
        yield return ("conv", 13, small, g => g.Node("Conv", new[] { "x", g.Init("w", 5, 3, 3, 3), g.Init("b", 5) }, "conv", ("pads", new long[] { 1, 1, 1, 1 })));
        yield return ("conv_groups_dilation_asym", 13, odd, g => g.Node("Conv", new[] { "x", g.Init("w", 6, 2, 3, 3), g.Init("b", 6) }, "conv",
            ("group", 2L), ("dilations", new long[] { 2, 2 }), ("strides", new long[] { 2, 1 }), ("pads", new long[] { 1, 2, 0, 1 })));
        yield return ("conv_same_upper", 13, odd, g => g.Node("Conv", new[] { "x", g.Init("w", 3, 4, 4, 4) }, "conv", ("strides", new long[] { 2, 2 }), ("auto_pad", "SAME_UPPER")));
        yield return ("conv_same_lower", 13, odd, g => g.Node("Conv", new[] { "x", g.Init("w", 3, 4, 4, 4) }, "conv", ("strides", new long[] { 2, 2 }), ("auto_pad", "SAME_LOWER")));
        yield return ("conv_valid", 13, odd, g => g.Node("Conv", new[] { "x", g.Init("w", 3, 4, 3, 3) }, "conv", ("kernel_shape", new long[] { 3, 3 }), ("auto_pad", "VALID")));
        yield return ("batchnorm_opset8", 8, small, g => g.Node("BatchNormalization", new[] { "x", g.Init("s", 3), g.Init("bb", 3), g.Init("m", 3), g.Positive("v", 3) }, "bn", ("epsilon", 1e-3f), ("spatial", 1L)));
        yield return ("batchnorm_opset15", 15, small, g => g.Node("BatchNormalization", new[] { "x", g.Init("s", 3), g.Init("bb", 3), g.Init("m", 3), g.Positive("v", 3) }, "bn"));
        yield return ("relu", 13, small, g => g.Node("Relu", new[] { g.Shifted() }, "relu"));
        yield return ("leaky_relu", 13, small, g => g.Node("LeakyRelu", new[] { g.Shifted() }, "leaky", ("alpha", 0.2f)));
        yield return ("maxpool_asym_pads", 8, small, g => g.Node("MaxPool", new[] { "x" }, "pool", ("kernel_shape", new long[] { 3, 3 }), ("strides", new long[] { 2, 2 }), ("pads", new long[] { 1, 1, 0, 0 })));
        yield return ("maxpool_ceil", 12, odd, g => g.Node("MaxPool", new[] { "x" }, "pool", ("kernel_shape", new long[] { 3, 3 }), ("strides", new long[] { 2, 2 }), ("ceil_mode", 1L)));
        yield return ("maxpool_dilated_overlap", 12, odd, g => g.Node("MaxPool", new[] { "x" }, "pool", ("kernel_shape", new long[] { 3, 3 }), ("strides", new long[] { 1, 1 }), ("dilations", new long[] { 2, 2 }), ("pads", new long[] { 1, 1, 1, 1 })));
        yield return ("avgpool_exclude_pad", 11, odd, g => g.Node("AveragePool", new[] { "x" }, "pool", ("kernel_shape", new long[] { 3, 3 }), ("strides", new long[] { 2, 2 }), ("pads", new long[] { 1, 1, 1, 1 })));
        yield return ("avgpool_include_pad", 11, odd, g => g.Node("AveragePool", new[] { "x" }, "pool", ("kernel_shape", new long[] { 3, 3 }), ("strides", new long[] { 2, 2 }), ("pads", new long[] { 1, 0, 1, 2 }), ("count_include_pad", 1L)));
        yield return ("global_avgpool", 13, small, g => g.Node("GlobalAveragePool", new[] { "x" }, "gap"));
        yield return ("global_maxpool", 13, small, g => g.Node("GlobalMaxPool", new[] { "x" }, "gmp"));
        yield return ("residual_add", 13, small, g =>
        {
            var c = g.Node("Conv", new[] { "x", g.Init("w", 3, 3, 3, 3) }, "conv", ("pads", new long[] { 1, 1, 1, 1 }));
            var r = g.Node("Relu", new[] { g.Node("Add", new[] { c, "x" }, "add") }, "relu");
            return g.Node("Sum", new[] { r, "x", c }, "sum");
        });
        yield return ("affine_constants", 13, small, g =>
        {
            var a = g.Node("Sub", new[] { "x", g.Init("mean", 1, 3, 1, 1) }, "sub");
            var b = g.Node("Div", new[] { a, g.Positive("std", 1, 3, 1, 1) }, "div");
            var c = g.Node("Mul", new[] { g.Init("scale", 3, 1, 1), b }, "mul");
            var d = g.Node("Add", new[] { c, g.Init("shift", 1) }, "add");
            var k = g.Node("Constant", Array.Empty<string>(), "const", ("value", g.Tensor("k", new float[] { 2.5f }, 1)));
            var e = g.Node("Sub", new[] { k, d }, "rsub");
            return g.Node("Sub", new[] { e, "x" }, "sub_dynamic");
        });
        yield return ("concat", 13, small, g =>
        {
            var a = g.Node("Conv", new[] { "x", g.Init("w1", 2, 3, 1, 1) }, "conv_a");
            var b = g.Node("Conv", new[] { "x", g.Init("w2", 4, 3, 3, 3) }, "conv_b", ("pads", new long[] { 1, 1, 1, 1 }));
            return g.Node("Concat", new[] { a, b, "x" }, "concat", ("axis", 1L));
        });
        yield return ("flatten_gemm", 13, small, g =>
        {
            var f = g.Node("Flatten", new[] { "x" }, "flatten", ("axis", 1L));
            var h = g.Node("Gemm", new[] { f, g.Init("w1", 10, 432), g.Init("b1", 10) }, "fc1", ("transB", 1L), ("alpha", 0.5f), ("beta", 2f));
            return g.Node("Gemm", new[] { h, g.Init("w2", 10, 7), g.Init("b2", 1, 7) }, "fc2");
        });
        yield return ("matmul_reshape_opset5", 7, small, g =>
        {
            var f = g.Node("Reshape", new[] { "x", g.Ints("shape", 1, -1) }, "reshape");
            return g.Node("MatMul", new[] { f, g.Init("w", 432, 6) }, "matmul");
        });
        yield return ("pytorch_style_flatten", 11, small, g =>
        {
            var shape = g.Node("Shape", new[] { "x" }, "shape");
            var n = g.Node("Gather", new[] { shape, g.ScalarInt("zero", 0) }, "gather", ("axis", 0L));
            var u = g.Node("Unsqueeze", new[] { n }, "unsqueeze", ("axes", new long[] { 0 }));
            var target = g.Node("Concat", new[] { u, g.Ints("minus_one", -1) }, "target", ("axis", 0L));
            return g.Node("Reshape", new[] { "x", target }, "reshape");
        });
        yield return ("squeeze_unsqueeze_opset11", 11, small, g =>
        {
            var p = g.Node("GlobalAveragePool", new[] { "x" }, "gap");
            var s = g.Node("Squeeze", new[] { p }, "squeeze", ("axes", new long[] { 2, 3 }));
            return g.Node("Unsqueeze", new[] { s }, "unsqueeze", ("axes", new long[] { 2 }));
        });
        yield return ("squeeze_unsqueeze_opset13", 13, small, g =>
        {
            var p = g.Node("GlobalAveragePool", new[] { "x" }, "gap");
            var s = g.Node("Squeeze", new[] { p, g.Ints("axes", 2, 3) }, "squeeze");
            return g.Node("Unsqueeze", new[] { s, g.Ints("axes2", 2) }, "unsqueeze");
        });
        yield return ("dropout_identity_opset7", 7, small, g => g.Node("Identity", new[] { g.Node("Dropout", new[] { "x" }, "dropout", ("ratio", 0.3f)) }, "identity"));
        yield return ("dropout_opset13", 13, small, g => g.Node("Dropout", new[] { "x" }, "dropout"));
        yield return ("lrn", 13, new long[] { 1, 8, 6, 6 }, g => g.Node("LRN", new[] { "x" }, "lrn", ("size", 5L), ("alpha", 1e-2f), ("beta", 0.75f), ("bias", 2f)));
        yield return ("softmax_opset11_4d", 11, small, g => g.Node("Softmax", new[] { "x" }, "softmax", ("axis", 1L)));
        yield return ("softmax_opset13_channels", 13, small, g => g.Node("Softmax", new[] { "x" }, "softmax", ("axis", 1L)));
        yield return ("pad_opset10_attr", 10, small, g => g.Node("Pad", new[] { "x" }, "pad", ("pads", new long[] { 0, 0, 1, 2, 0, 0, 3, 0 }), ("value", 0.5f)));
        yield return ("pad_opset11_input", 11, small, g => g.Node("Pad", new[] { "x", g.Ints("pads", 0, 0, 2, 0, 0, 0, 1, 1), g.Init("v", 1) }, "pad"));
        yield return ("split_opset11_attr", 11, small, g =>
        {
            var parts = g.Nodes("Split", new[] { "x" }, "split", 3, ("axis", 1L), ("split", new long[] { 1, 1, 1 }));
            return g.Node("Concat", new[] { parts[2], parts[1], parts[0] }, "bgr", ("axis", 1L));
        });
        yield return ("split_opset13_input", 13, new long[] { 1, 5, 6, 6 }, g =>
        {
            var parts = g.Nodes("Split", new[] { "x", g.Ints("sizes", 2, 3) }, "split", 2, ("axis", 1L));
            return g.Node("Add", new[] { g.Node("Relu", new[] { parts[1] }, "relu"), g.Node("Conv", new[] { parts[0], g.Init("w", 3, 2, 1, 1) }, "conv") }, "add");
        });
        yield return ("slice_opset10", 10, small, g => g.Node("Slice", new[] { "x", g.Ints("starts", 1, 2), g.Ints("ends", 3, -1), g.Ints("axes", 1, 3) }, "slice"));
        yield return ("clip_opset7_attr", 7, small, g => g.Node("Clip", new[] { g.Shifted() }, "clip", ("min", -0.2f), ("max", 0.3f)));
        yield return ("clip_opset11_relu6", 11, small, g => g.Node("Clip", new[] { g.Node("Mul", new[] { g.Shifted(), g.Scalar("ten", 10f) }, "scale"), g.Scalar("lo", 0f), g.Scalar("hi", 6f) }, "relu6"));
    }
}

/// <summary>Builds one small ONNX model in code; initializers are seeded normal-ish random values.</summary>
internal sealed class OnnxGraphWriter
{
    private readonly ModelProto _model;
    private readonly Random _rng;
    private int _counter;

    public OnnxGraphWriter(string name, long opset, long[] inputShape, int seed)
    {
        _rng = new Random(seed * 7919 + name.GetHashCode(StringComparison.Ordinal) % 1000);
        _model = new ModelProto
        {
            IrVersion = 8,
            ProducerName = "ConvViz.TestKit",
            Graph = new GraphProto { Name = name },
        };
        _model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = opset });
        _model.Graph.Input.Add(Value("x", inputShape));
    }

    private static ValueInfoProto Value(string name, long[]? shape)
    {
        var t = new TypeProto.Types.Tensor { ElemType = 1 };
        if (shape is not null)
        {
            t.Shape = new TensorShapeProto();
            foreach (var d in shape) t.Shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = d });
        }
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = t } };
    }

    public TensorProto Tensor(string name, float[] values, params long[] dims)
    {
        var t = new TensorProto { Name = name, DataType = 1 };
        t.Dims.AddRange(dims);
        t.FloatData.AddRange(values);
        return t;
    }

    private string Add(TensorProto t) { _model.Graph.Initializer.Add(t); return t.Name; }

    public string Init(string name, params long[] dims)
        => Add(Tensor(name, Enumerable.Range(0, (int)dims.Aggregate(1L, (a, b) => a * b)).Select(_ => (float)(_rng.NextDouble() * 2 - 1)).ToArray(), dims));

    public string Positive(string name, params long[] dims)
        => Add(Tensor(name, Enumerable.Range(0, (int)dims.Aggregate(1L, (a, b) => a * b)).Select(_ => (float)(0.5 + _rng.NextDouble())).ToArray(), dims));

    public string Scalar(string name, float value) => Add(Tensor(name, new[] { value }));

    public string Ints(string name, params long[] values)
    {
        var t = new TensorProto { Name = name, DataType = 7 };
        t.Dims.Add(values.Length);
        t.Int64Data.AddRange(values);
        return Add(t);
    }

    public string ScalarInt(string name, long value)
    {
        var t = new TensorProto { Name = name, DataType = 7 };
        t.Int64Data.Add(value);
        return Add(t);
    }

    /// <summary>x - 0.5, so inputs in [0, 1) have both signs for the nonlinearities.</summary>
    public string Shifted() => Node("Sub", new[] { "x", Scalar("half" + _counter, 0.5f) }, "center");

    public string Node(string op, string[] inputs, string name, params (string Name, object Value)[] attributes)
        => Nodes(op, inputs, name, 1, attributes)[0];

    public string[] Nodes(string op, string[] inputs, string name, int outputs, params (string Name, object Value)[] attributes)
    {
        var node = new NodeProto { OpType = op, Name = name };
        node.Input.AddRange(inputs);
        var outs = Enumerable.Range(0, outputs).Select(i => outputs == 1 ? $"{name}_out{_counter++}" : $"{name}_out{i}_{_counter++}").ToArray();
        node.Output.AddRange(outs);
        foreach (var (key, value) in attributes)
        {
            var a = new AttributeProto { Name = key };
            switch (value)
            {
                case long l: a.Type = AttributeProto.Types.AttributeType.Int; a.I = l; break;
                case float f: a.Type = AttributeProto.Types.AttributeType.Float; a.F = f; break;
                case string s: a.Type = AttributeProto.Types.AttributeType.String; a.S = ByteString.CopyFromUtf8(s); break;
                case long[] ls: a.Type = AttributeProto.Types.AttributeType.Ints; a.Ints.AddRange(ls); break;
                case TensorProto t: a.Type = AttributeProto.Types.AttributeType.Tensor; a.T = t; break;
                default: throw new ArgumentException($"Attribute type {value.GetType()}");
            }
            node.Attribute.Add(a);
        }
        _model.Graph.Node.Add(node);
        return outs;
    }

    public string Save(string path, string output)
    {
        // The graph output gets the public name y through an Identity-free rename of the last node's output.
        foreach (var n in _model.Graph.Node) for (int i = 0; i < n.Output.Count; i++) if (n.Output[i] == output) n.Output[i] = "y";
        foreach (var n in _model.Graph.Node) for (int i = 0; i < n.Input.Count; i++) if (n.Input[i] == output) n.Input[i] = "y";
        _model.Graph.Output.Add(Value("y", null));
        File.WriteAllBytes(path, _model.ToByteArray());
        return path;
    }
}

using System;
using System.Collections.Generic;
using System.Linq;
using ConvViz.Engine.Graph;
using ConvViz.Engine.Graph.Ops;
using Onnx;
using static TorchSharp.torch;

namespace ConvViz.Engine.Import;

/// <summary>
/// Translates ONNX nodes, in file order, into <see cref="GraphOp"/>s on a <see cref="GraphBuilder"/>.
/// Values are either graph nodes (they depend on the input) or constants (initializers,
/// Constant nodes and anything computed only from constants, folded here). Every graph node
/// is run once on a zero example as it is added, which gives the shapes that ONNX leaves
/// implicit (auto_pad, Flatten, Reshape with 0 and -1, Split, GlobalMaxPool).
/// </summary>
internal sealed partial class OnnxOpTranslator : IDisposable
{
    public static readonly string[] Supported =
    {
        "Add", "AveragePool", "BatchNormalization", "Cast", "Clip", "Concat", "Constant", "Conv", "Div", "Dropout", "Erf",
        "Flatten", "Gather (constants)", "Gemm", "GlobalAveragePool", "GlobalMaxPool", "HardSigmoid", "HardSwish", "Identity",
        "LayerNormalization", "LRN", "LeakyRelu", "MatMul", "MaxPool", "Mul", "Neg", "Pad", "Pow (constant exponent)",
        "PRelu (one slope)", "ReduceMax", "ReduceMean", "ReduceSum", "Relu", "Reshape", "Shape", "Sigmoid", "Slice",
        "Softmax", "Split", "Sqrt", "Squeeze", "Sub", "Sum", "Tanh", "Transpose", "Unsqueeze",
    };

    private readonly GraphBuilder _graph;
    private readonly Dictionary<string, int> _nodes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Tensor> _constants = new(StringComparer.Ordinal);
    private readonly List<Tensor?> _examples = new();
    private readonly List<string> _onnxOp = new();

    private string _file;
    private long _opset;

    public OnnxOpTranslator(GraphBuilder graph, string file = "", long maxTensorElements = OnnxImportOptions.DefaultMaxTensorElements)
    {
        _graph = graph; _file = file;
        MaxTensorElements = maxTensorElements;
        CheckInput(file, "input", graph.InputShape, maxTensorElements);
        // Node 0 is the input; its example is a zero batch of one.
        _examples.Add(zeros(new[] { 1L }.Concat(graph.InputShape).ToArray()));
        _onnxOp.Add("Input");
        // Nodes already there (the declared preprocessing) get their examples too.
        using (no_grad())
            for (int i = 1; i < graph.Count; i++)
            {
                _examples.Add(graph[i].Op.Forward(graph[i].Inputs.Select(j => _examples[j]!).ToArray(), null, i));
                _onnxOp.Add("Preprocessing");
            }
    }

    /// <summary>Starts the next file of a chain: its value names are its own, the graph and its examples carry on.</summary>
    public void BeginFile(string file, long opset)
    {
        _file = file; _opset = opset;
        _nodes.Clear();
        foreach (var t in _constants.Values) t.Dispose();
        _constants.Clear();
        _unusable.Clear();
    }

    public long[] ExampleShape(int node) => Shape(node);

    /// <summary>The ONNX operator each graph node came from (helper nodes carry their parent's).</summary>
    public IReadOnlyList<string> OnnxOpOf => _onnxOp;

    public void BindNode(string valueName, int node) => _nodes[valueName] = node;

    public void BindConstant(string valueName, Tensor value)
    {
        if (_constants.Remove(valueName, out var old)) old.Dispose();
        _constants[valueName] = value;
    }

    public bool IsConstant(string valueName) => _constants.ContainsKey(valueName);

    public int NodeOf(string valueName, NodeProto? user = null)
        => _nodes.TryGetValue(valueName, out var n) ? n
            : WhyUnusable(valueName) is { } why && user is not null ? throw Unsupported(user, $"it reads {why}, which ConvViz does not compute")
            : throw new System.IO.InvalidDataException($"'{_file}': value '{valueName}'{(user is null ? "" : $" used by node '{NameOf(user)}'")} is never produced (the graph is not in topological order or refers to a missing tensor).");

    public static string NameOf(NodeProto node) => node.Name.Length > 0 ? node.Name : node.Output.FirstOrDefault(o => o.Length > 0) ?? node.OpType;

    private long[] Shape(int node) => _examples[node]!.shape;

    public void Translate(NodeProto node)
    {
        var inputs = node.Input.ToList();
        // Trailing empty names are omitted optional inputs.
        while (inputs.Count > 0 && inputs[^1].Length == 0) inputs.RemoveAt(inputs.Count - 1);
        var a = new OnnxAttributes(node);
        bool allConstant = inputs.Where(i => i.Length > 0).All(IsConstant);
        if (node.Domain is not ("" or "ai.onnx"))
            throw Unsupported(node, null);
        if (node.OpType == "Constant") { BindConstant(node.Output[0], ConstantValue(node, a)); return; }
        if (node.OpType == "Shape" && inputs.Count == 1 && !IsConstant(inputs[0]))
        {
            BindConstant(node.Output[0], tensor(Shape(NodeOf(inputs[0], node))));
            return;
        }
        if (allConstant && inputs.Count > 0)
        {
            CheckFold(node, inputs, a);
            if (TryFold(node, inputs, a)) return;
            throw Unsupported(node, Supported.Contains(node.OpType) ? "all its inputs are constants and ConvViz does not evaluate it at import time" : null);
        }
        TranslateDynamic(node, inputs, a);
    }

    private Tensor ConstantValue(NodeProto node, OnnxAttributes a)
    {
        if (a.Tensor("value") is { } t) return OnnxInitializers.ToTensor(t, _file);
        if (a.Has("value_float")) return tensor(a.Float("value_float", 0));
        if (a.Has("value_floats")) return tensor(a.Floats("value_floats")!);
        if (a.Has("value_int")) return tensor(a.Int("value_int", 0));
        if (a.Has("value_ints")) return tensor(a.Ints("value_ints")!);
        throw Unsupported(node, "only value, value_float(s) and value_int(s) constants are read");
    }

    /// <summary>Adds a graph node, runs it on the inputs' examples and binds its output.</summary>
    private int Emit(NodeProto source, string name, GraphOp op, int[] inputs, string? prefix = null, string? output = null)
    {
        int index;
        try
        {
            index = _graph.Add(_graph.UniqueName(name), op, inputs, prefix);
        }
        catch
        {
            op.Dispose();
            throw;
        }
        try
        {
            CheckExample(source, op, inputs.Select(Shape).ToArray());
        }
        catch
        {
            _examples.Add(null);
            _onnxOp.Add(source.OpType);
            throw;
        }
        using (no_grad())
        {
            try
            {
                _examples.Add(op.Forward(inputs.Select(i => _examples[i]!).ToArray(), null, index));
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                var shapes = string.Join(", ", inputs.Select(i => "[" + string.Join("x", Shape(i)) + "]"));
                throw new System.IO.InvalidDataException($"'{_file}': node '{NameOf(source)}' ({source.OpType}) cannot take inputs of shape {shapes}: {e.Message}", e);
            }
        }
        _onnxOp.Add(source.OpType);
        if (output is not null) BindNode(output, index);
        return index;
    }

    public UnsupportedOperatorException Unsupported(NodeProto node, string? detail)
        => new(_file, NameOf(node), node.Domain is "" or "ai.onnx" ? node.OpType : node.Domain + "." + node.OpType, _opset, detail, Supported);

    private Tensor Const(NodeProto node, string name, string role)
        => _constants.TryGetValue(name, out var t) ? t : throw Unsupported(node, $"its {role} ('{name}') must be a constant (an initializer or Constant node), not computed from the model input");

    private static long NormAxis(long axis, long rank) => axis < 0 ? axis + rank : axis;

    public void Dispose()
    {
        foreach (var t in _examples) t?.Dispose();
        _examples.Clear();
        foreach (var t in _constants.Values) t.Dispose();
        _constants.Clear();
    }
}

using System;
using System.Collections.Generic;
using System.Linq;
using ConvViz.Engine.Graph.Ops;
using static TorchSharp.torch;

namespace ConvViz.Engine.Graph;

/// <summary>
/// A CNN as a directed acyclic graph of ops in topological order; node 0 is the input.
/// Built-in architectures and imported ONNX models both become one of these, so the
/// forward pass, switches, receptive fields and projections are written once.
/// </summary>
public sealed class ConvGraph : IDisposable
{
    private readonly List<GraphNode> _nodes;
    private long[][] _shapes = Array.Empty<long[]>();
    private ReceptiveField[] _fields = Array.Empty<ReceptiveField>();
    private int[][] _consumers = Array.Empty<int[]>();

    public ConvGraph(IEnumerable<GraphNode> nodes, long[] inputShape, int outputNode)
    {
        _nodes = nodes.ToList();
        if (_nodes.Count == 0 || _nodes[0].Op is not InputOp) throw new ArgumentException("Node 0 must be the input.");
        for (int i = 0; i < _nodes.Count; i++)
        {
            if (_nodes[i].Index != i) throw new ArgumentException($"Node '{_nodes[i].Name}' has index {_nodes[i].Index}, expected {i}.");
            if (_nodes[i].Inputs.Any(j => j < 0 || j >= i)) throw new ArgumentException($"Node '{_nodes[i].Name}' is not in topological order.");
        }
        InputShape = inputShape;
        OutputNode = outputNode;
        Device = CPU;
        Analyze();
    }

    public IReadOnlyList<GraphNode> Nodes => _nodes;
    /// <summary>C x H x W of the model input.</summary>
    public long[] InputShape { get; }
    public int OutputNode { get; }
    public Device Device { get; private set; }

    /// <summary>Per-node output shape without the batch axis, for the model's input size.</summary>
    public long[] ShapeOf(int node) => _shapes[node];
    public ReceptiveField FieldOf(int node) => _fields[node];
    public IReadOnlyList<int> ConsumersOf(int node) => _consumers[node];

    public long LearnableCount => _nodes.Sum(n => n.Op.LearnableCount);

    /// <summary>Every named tensor under its state-dict name.</summary>
    public IEnumerable<(string Name, GraphOp Op, NamedTensor Tensor)> NamedTensors()
    {
        foreach (var node in _nodes)
        {
            if (node.ParameterPrefix == "") continue; // constants such as the normalisation, outside any state dict
            foreach (var t in node.Op.Tensors)
                yield return ((node.ParameterPrefix ?? node.Name) + "." + t.Name, node.Op, t);
        }
    }

    public void MoveTo(Device device)
    {
        foreach (var node in _nodes) node.Op.MoveTo(device);
        Device = device;
    }

    /// <summary>Shapes by one forward pass on zeros; receptive fields by interval arithmetic.</summary>
    private void Analyze()
    {
        int n = _nodes.Count;
        _consumers = new int[n][];
        var consumers = Enumerable.Range(0, n).Select(_ => new List<int>()).ToArray();
        foreach (var node in _nodes) foreach (var j in node.Inputs) consumers[j].Add(node.Index);
        for (int i = 0; i < n; i++) _consumers[i] = consumers[i].ToArray();

        _fields = new ReceptiveField[n];
        _fields[0] = ReceptiveField.Input;
        for (int i = 1; i < n; i++)
        {
            var node = _nodes[i];
            var field = node.Inputs.Length == 0 ? ReceptiveField.Input : _fields[node.Inputs[0]];
            foreach (var j in node.Inputs.Skip(1)) field = field.Union(_fields[j]);
            _fields[i] = field.Through(node.Op.Spatial);
        }

        _shapes = new long[n][];
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var values = new Tensor[n];
        values[0] = zeros(new[] { 1L }.Concat(InputShape).ToArray(), device: Device);
        _shapes[0] = InputShape;
        for (int i = 1; i < n; i++)
        {
            var node = _nodes[i];
            try
            {
                values[i] = node.Op.Forward(node.Inputs.Select(j => values[j]).ToArray(), null, i);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                var shapes = string.Join(", ", node.Inputs.Select(j => "[" + string.Join("x", _shapes[j]) + "]"));
                throw new InvalidOperationException($"Node '{node.Name}' ({node.Op.Kind}) cannot take inputs of shape {shapes}: {e.Message}", e);
            }
            _shapes[i] = values[i].shape.Skip(1).ToArray();
        }
    }

    public void Dispose()
    {
        foreach (var node in _nodes) node.Op.Dispose();
    }
}

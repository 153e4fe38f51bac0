using System;
using System.Collections.Generic;
using System.Linq;
using ConvViz.Engine.Graph.Ops;

namespace ConvViz.Engine.Graph;

/// <summary>Appends nodes in topological order; used by the built-in architectures and the ONNX importer.</summary>
public sealed class GraphBuilder
{
    private readonly List<GraphNode> _nodes = new();
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);

    public GraphBuilder(long channels, long height, long width)
    {
        InputShape = new[] { channels, height, width };
        Add("input", new InputOp(), Array.Empty<int>());
    }

    public long[] InputShape { get; }
    public int Input => 0;
    public int Count => _nodes.Count;
    public GraphNode this[int index] => _nodes[index];

    /// <summary>Adds a node; <paramref name="prefix"/> is its state-dict prefix, defaulting to its name.</summary>
    public int Add(string name, GraphOp op, int[] inputs, string? prefix = null)
    {
        if (!_names.Add(name)) throw new ArgumentException($"Duplicate node name '{name}'.");
        if (op.Arity >= 0 && inputs.Length != op.Arity)
            throw new ArgumentException($"{op.Kind} node '{name}' takes {op.Arity} input(s), got {inputs.Length}.");
        _nodes.Add(new GraphNode(_nodes.Count, name, op, inputs, prefix));
        return _nodes.Count - 1;
    }

    public int Add(string name, GraphOp op, int input, string? prefix = null) => Add(name, op, new[] { input }, prefix);

    public ConvGraph Build(int? output = null) => new(_nodes, InputShape, output ?? _nodes.Count - 1);

    public bool Has(string name) => _names.Contains(name);

    public string UniqueName(string stem)
    {
        if (!_names.Contains(stem)) return stem;
        for (int i = 1; ; i++) if (!_names.Contains($"{stem}_{i}")) return $"{stem}_{i}";
    }
}

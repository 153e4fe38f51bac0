using System;
using System.Collections.Generic;
using System.Linq;
using ConvViz.Engine.Graph;
using ConvViz.Engine.Graph.Ops;
using static TorchSharp.torch;

namespace ConvViz.Engine.Models.Architectures;

/// <summary>
/// The vocabulary the built-in architectures are written in: torchvision-named layers with
/// seeded random initialisation (Kaiming normal for convs, as torchvision does), and the
/// layer table that goes with them.
/// </summary>
internal sealed class NetworkBuilder
{
    private readonly Generator? _random;
    public readonly GraphBuilder Graph;
    public readonly List<LayerSpec> Layers = new();
    /// <summary>torchvision module names and the node that is exactly that module's output.</summary>
    public readonly List<(string Name, int Node)> Modules = new();

    /// <param name="schemaOnly">Weights are left uninitialised (torch.empty, no pages touched): enough to
    /// list the state dict's names and shapes, as the nearest-architecture search does.</param>
    public NetworkBuilder(long seed, InputSpec input, bool schemaOnly = false)
    {
        _random = schemaOnly ? null : new Generator((ulong)seed);
        Graph = new GraphBuilder(3, input.Height, input.Width);
        Input = input;
    }

    public InputSpec Input { get; }

    private Tensor Normal(long[] shape, double std)
        => _random is null ? empty(shape) : randn(shape, generator: _random).mul_(std);

    /// <summary>Registers <paramref name="node"/> as the output of torchvision module <paramref name="name"/>.</summary>
    public int Module(string name, int node) { Modules.Add((name, node)); return node; }

    /// <summary>ImageNet mean and std on [0, 1] RGB, as the first node (outside the state dict).</summary>
    public int Normalize(int x)
    {
        var mean = tensor(new[] { 0.485f, 0.456f, 0.406f }).view(1, 3, 1, 1);
        var std = tensor(new[] { 0.229f, 0.224f, 0.225f }).view(1, 3, 1, 1);
        return Graph.Add("normalize", new AffineOp(1 / std, -mean / std, "Normalize"), x, prefix: "");
    }

    public int Conv(string name, int x, long cin, long cout, long kernel, long stride = 1, long padding = 0, bool bias = true)
    {
        var weight = Normal(new[] { cout, cin, kernel, kernel }, Math.Sqrt(2.0 / (cout * kernel * kernel)));
        var b = bias ? zeros(cout) : null;
        return Graph.Add(name, new Conv2dOp(weight, b, new[] { stride, stride }, new[] { padding, padding }, new long[] { 1, 1 }, 1), x);
    }

    public int BatchNorm(string name, int x, long channels)
        => Graph.Add(name, new BatchNormOp(ones(channels), zeros(channels), zeros(channels), ones(channels), 1e-5), x);

    public int Relu(string name, int x) => Graph.Add(name, new ReluOp(), x);

    public int MaxPool(string name, int x, long kernel, long stride, long padding = 0, bool ceilMode = false)
        => Graph.Add(name, new MaxPoolOp(new[] { kernel, kernel }, new[] { stride, stride }, new[] { padding, padding }, ceilMode: ceilMode), x);

    public int Lrn(string name, int x) => Graph.Add(name, new LrnOp(5, 1e-4, 0.75, 2.0), x);

    public int AdaptiveAvgPool(string name, int x, long size) => Graph.Add(name, new AdaptiveAvgPoolOp(size, size), x);

    public int Flatten(string name, int x, long features)
        => Graph.Add(name, new ReshapeOp(new[] { features }, "Flatten"), x, prefix: "");

    public int Linear(string name, int x, long fin, long fout)
    {
        var weight = Normal(new[] { fout, fin }, 0.01);
        return Graph.Add(name, new LinearOp(weight, zeros(fout)), x);
    }

    public int Dropout(string name, int x) => Graph.Add(name, new IdentityOp("Dropout"), x);

    public int Add(string name, int a, int b) => Graph.Add(name, new AddOp(), new[] { a, b });

    /// <summary>A layer whose weights are the conv or linear node feeding <paramref name="pre"/> (and any batch-norm between).</summary>
    public void Layer(string name, string kind, int pre, int act, int? pooled = null, params string[] aliases)
    {
        long parameters = OwnedNodes(pre, act, pooled ?? act).Sum(n => Graph[n].Op.LearnableCount);
        Layers.Add(new LayerSpec(name, kind, pre, act, pooled ?? act, aliases, parameters));
    }

    /// <summary>A block or stage: its weights are every node named under <paramref name="name"/>.</summary>
    public void Group(string name, string kind, int pre, int act)
    {
        long parameters = Enumerable.Range(0, Graph.Count)
            .Where(i => Graph[i].Name.StartsWith(name + ".", StringComparison.Ordinal))
            .Sum(i => Graph[i].Op.LearnableCount);
        Layers.Add(new LayerSpec(name, kind, pre, act, act, Array.Empty<string>(), parameters));
    }

    private IEnumerable<int> OwnedNodes(int pre, int act, int pooled)
    {
        // The conv (or linear) feeding pre, plus pre..pooled along the chain.
        var nodes = new HashSet<int> { pre, act, pooled };
        int cursor = pre;
        while (cursor > 0 && Graph[cursor].Op is not (Conv2dOp or LinearOp))
        {
            cursor = Graph[cursor].Inputs.FirstOrDefault();
            nodes.Add(cursor);
        }
        return nodes;
    }

    public ConvModel Build(string name, string source, IReadOnlyList<string>? classNames = null)
    {
        var graph = Graph.Build();
        var modules = Modules.Select(m => new LayerSpec(m.Name, "Module", m.Node, m.Node, m.Node, Array.Empty<string>(), Graph[m.Node].Op.LearnableCount) { IsModuleOutput = true });
        return new ConvModel(name, source, graph, new LayerTable(Layers, name, modules), Input, ModelOutputKind.Logits, classNames);
    }

    /// <summary>State-dict names and shapes, without building the graph (no forward pass).</summary>
    public IReadOnlyList<(string Name, long[] Shape)> Schema()
    {
        var result = new List<(string, long[])>();
        for (int i = 0; i < Graph.Count; i++)
        {
            var node = Graph[i];
            if (node.ParameterPrefix == "") continue;
            foreach (var t in node.Op.Tensors) result.Add(((node.ParameterPrefix ?? node.Name) + "." + t.Name, t.Value.shape));
        }
        return result;
    }
}

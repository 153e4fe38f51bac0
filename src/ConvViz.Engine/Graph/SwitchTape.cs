using System;
using System.Collections.Generic;
using static TorchSharp.torch;

namespace ConvViz.Engine.Graph;

/// <summary>
/// What the forward pass records for the way down: the max-pool switches (argmax of
/// every window) and the forward state that nonlinear adjoints need (ReLU signs, LRN
/// inputs). Keyed by node index; batch-first like the activations.
/// </summary>
public sealed class SwitchTape : IDisposable
{
    // Keyed by node and slot: ops with two inputs (a product of two model values) keep both.
    private readonly Dictionary<(int Node, int Slot), Tensor> _entries = new();

    public void Record(int node, Tensor value) => Record(node, 0, value);

    public void Record(int node, int slot, Tensor value) => _entries[(node, slot)] = value;

    public Tensor Get(int node, string what) => Get(node, 0, what);

    public Tensor Get(int node, int slot, string what)
        => _entries.TryGetValue((node, slot), out var t)
            ? t
            : throw new InvalidOperationException($"The switch tape has no {what} for node {node}; the forward pass did not record it.");

    public bool Contains(int node) => _entries.ContainsKey((node, 0));

    /// <summary>A tape whose row r is row <paramref name="rows"/>[r] of this one, for projecting several records of one image.</summary>
    public SwitchTape Select(Tensor rows)
    {
        var tape = new SwitchTape();
        foreach (var (key, value) in _entries) tape._entries[key] = value.index_select(0, rows);
        return tape;
    }

    public void Dispose()
    {
        foreach (var t in _entries.Values) t.Dispose();
        _entries.Clear();
    }
}

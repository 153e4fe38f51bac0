using System.Collections.Generic;
using System.Linq;
using Onnx;

namespace ConvViz.Engine.Import;

/// <summary>Typed, defaulted access to one node's attributes.</summary>
internal sealed class OnnxAttributes
{
    private readonly Dictionary<string, AttributeProto> _byName;

    public OnnxAttributes(NodeProto node) => _byName = node.Attribute.GroupBy(a => a.Name).ToDictionary(g => g.Key, g => g.Last());

    public bool Has(string name) => _byName.ContainsKey(name);

    public long Int(string name, long fallback) => _byName.TryGetValue(name, out var a) ? a.I : fallback;

    public float Float(string name, float fallback) => _byName.TryGetValue(name, out var a) ? a.F : fallback;

    public string String(string name, string fallback) => _byName.TryGetValue(name, out var a) ? a.S.ToStringUtf8() : fallback;

    public long[]? Ints(string name) => _byName.TryGetValue(name, out var a) ? a.Ints.ToArray() : null;

    public float[]? Floats(string name) => _byName.TryGetValue(name, out var a) ? a.Floats.ToArray() : null;

    public TensorProto? Tensor(string name) => _byName.TryGetValue(name, out var a) ? a.T : null;

    public IEnumerable<string> Names => _byName.Keys;
}

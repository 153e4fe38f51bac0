using System;
using System.Collections.Generic;
using System.Linq;

namespace ConvViz.Engine.Models;

/// <summary>
/// A model's layers in forward order, looked up by name, alias or wildcard. Besides its
/// layers a table may hold module outputs (torchvision module names, each exactly that
/// module's output): they resolve by name and by wildcards that match no layer, but are not
/// in <see cref="All"/>. Where a module name is also a layer name, the layer wins.
/// </summary>
public sealed class LayerTable
{
    private readonly List<LayerSpec> _layers;
    private readonly List<LayerSpec> _modules = new();
    private readonly Dictionary<string, LayerSpec> _byName = new(StringComparer.OrdinalIgnoreCase);

    public LayerTable(IEnumerable<LayerSpec> layers, string modelName, IEnumerable<LayerSpec>? modules = null)
    {
        _layers = layers.ToList();
        ModelName = modelName;
        foreach (var layer in _layers)
        {
            foreach (var name in layer.Aliases.Prepend(layer.Name))
                if (!_byName.TryAdd(name, layer) && !ReferenceEquals(_byName[name], layer))
                    throw new ArgumentException($"Layer name '{name}' is used twice in model '{modelName}'.");
        }
        foreach (var module in modules ?? Enumerable.Empty<LayerSpec>())
            if (_byName.TryAdd(module.Name, module)) _modules.Add(module);
    }

    public string ModelName { get; }
    public IReadOnlyList<LayerSpec> All => _layers;
    /// <summary>Module outputs under torchvision names not taken by a layer, in forward order.</summary>
    public IReadOnlyList<LayerSpec> Modules => _modules;
    public IEnumerable<string> Names => _layers.Select(l => l.Name);

    public bool TryGet(string name, out LayerSpec layer) => _byName.TryGetValue(name, out layer!);

    public LayerSpec Get(string name)
        => TryGet(name, out var layer) ? layer : throw NotFound(name);

    /// <summary>
    /// Resolves names and patterns in forward order, without duplicates. "*" alone means
    /// every conv layer; other wildcards match names and aliases of any kind, and module
    /// names only when they match no layer (features.* in vgg16: the modules).
    /// </summary>
    public IReadOnlyList<LayerSpec> Resolve(IEnumerable<string> patterns)
    {
        var chosen = new HashSet<LayerSpec>();
        foreach (var pattern in patterns)
        {
            if (pattern == "*") { chosen.UnionWith(_layers.Where(l => l.IsConv)); continue; }
            if (NameMatch.HasWildcard(pattern))
            {
                var rx = NameMatch.ToRegex(pattern);
                var hits = _layers.Where(l => l.Aliases.Prepend(l.Name).Any(n => rx.IsMatch(n))).ToList();
                if (hits.Count == 0) hits = _modules.Where(m => rx.IsMatch(m.Name)).ToList();
                if (hits.Count == 0) throw NotFound(pattern);
                chosen.UnionWith(hits);
                continue;
            }
            chosen.Add(Get(pattern));
        }
        return _layers.Concat(_modules).Where(chosen.Contains).ToList();
    }

    public LayerNotFoundException NotFound(string name)
        => new(name, ModelName, NameMatch.Nearest(name, _byName.Keys), Names.ToList());
}

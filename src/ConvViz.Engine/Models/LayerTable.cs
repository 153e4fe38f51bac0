using System;
using System.Collections.Generic;
using System.Linq;

namespace ConvViz.Engine.Models;

/// <summary>A model's layers in forward order, looked up by name, alias or wildcard.</summary>
public sealed class LayerTable
{
    private readonly List<LayerSpec> _layers;
    private readonly Dictionary<string, LayerSpec> _byName = new(StringComparer.OrdinalIgnoreCase);

    public LayerTable(IEnumerable<LayerSpec> layers, string modelName)
    {
        _layers = layers.ToList();
        ModelName = modelName;
        foreach (var layer in _layers)
        {
            foreach (var name in layer.Aliases.Prepend(layer.Name))
                if (!_byName.TryAdd(name, layer) && !ReferenceEquals(_byName[name], layer))
                    throw new ArgumentException($"Layer name '{name}' is used twice in model '{modelName}'.");
        }
    }

    public string ModelName { get; }
    public IReadOnlyList<LayerSpec> All => _layers;
    public IEnumerable<string> Names => _layers.Select(l => l.Name);

    public bool TryGet(string name, out LayerSpec layer) => _byName.TryGetValue(name, out layer!);

    public LayerSpec Get(string name)
        => TryGet(name, out var layer) ? layer : throw NotFound(name);

    /// <summary>
    /// Resolves names and patterns in forward order, without duplicates. "*" alone means
    /// every conv layer; other wildcards match names and aliases of any kind.
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
                if (hits.Count == 0) throw NotFound(pattern);
                chosen.UnionWith(hits);
                continue;
            }
            chosen.Add(Get(pattern));
        }
        return _layers.Where(chosen.Contains).ToList();
    }

    public LayerNotFoundException NotFound(string name)
        => new(name, ModelName, NameMatch.Nearest(name, _byName.Keys), Names.ToList());
}

using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using ConvViz.Commands.Hosting;

namespace ConvViz.Commands.Completion;

/// <summary>The layer names (and aliases, kinds) of one model, and whether it has class names.</summary>
internal sealed record LayerTable(IReadOnlyList<LayerTable.Entry> Layers, bool Classifier)
{
    internal sealed record Entry(string Name, string Kind, IReadOnlyList<string> Aliases);

    public static LayerTable From(Model model)
        => new(model.Engine.Layers.All.Concat(model.Engine.Layers.Modules).Select(l => new Entry(l.Name, l.Kind.ToString(), l.Aliases.ToList())).ToList(), model.ClassCount > 0);
}

/// <summary>
/// Layer tables for tab completion without building a model: the built-in models' tables are
/// generated at build time into models/layers.json (build/New-LayerTable.ps1); files are
/// remembered when Import-ConvModel loads them; a model already built in this session
/// (ModelCatalog) or bound on the command line is read directly.
/// </summary>
internal static class LayerTables
{
    public const string FileName = "layers.json";
    private static readonly Lazy<IReadOnlyDictionary<string, LayerTable>> Shipped = new(LoadShipped);
    private static readonly ConcurrentDictionary<string, LayerTable> Files = new(StringComparer.Ordinal);

    /// <summary>The names -Model accepts as a string, from the shipped table.</summary>
    public static IEnumerable<string> ModelNames
        => Shipped.Value.Keys.Where(k => k.StartsWith("name:", StringComparison.Ordinal)).Select(k => k[5..]);

    /// <summary>A model named by string (-Model zfnet): the live one when built, else the shipped table.</summary>
    public static LayerTable? ForName(string name)
    {
        if (ModelCatalog.TryGetCached(name, out var model)) return LayerTable.From(model);
        return Shipped.Value.TryGetValue("name:" + name.Trim().ToLowerInvariant(), out var t) ? t : null;
    }

    /// <summary>Import-ConvModel -Architecture name (random weights; the names do not depend on the seed).</summary>
    public static LayerTable? ForArchitecture(string name)
        => Shipped.Value.TryGetValue("architecture:" + name.Trim().ToLowerInvariant(), out var t) ? t : null;

    /// <summary>A model file imported earlier in this session.</summary>
    public static LayerTable? ForFile(string fullPath) => Files.TryGetValue(fullPath, out var t) ? t : null;

    /// <summary>Called by Import-ConvModel after loading a file.</summary>
    public static void Remember(string fullPath, Model model) => Files[fullPath] = LayerTable.From(model);

    private static IReadOnlyDictionary<string, LayerTable> LoadShipped()
    {
        var result = new Dictionary<string, LayerTable>(StringComparer.Ordinal);
        try
        {
            var file = Path.Combine(Path.GetDirectoryName(typeof(LayerTables).Assembly.Location)!, "models", FileName);
            if (!File.Exists(file)) return result;
            using var doc = JsonDocument.Parse(File.ReadAllBytes(file));
            foreach (var model in doc.RootElement.GetProperty("models").EnumerateObject())
            {
                var layers = model.Value.GetProperty("layers").EnumerateArray().Select(l => new LayerTable.Entry(
                    l.GetProperty("name").GetString()!,
                    l.GetProperty("kind").GetString()!,
                    l.GetProperty("aliases").EnumerateArray().Select(a => a.GetString()!).ToList())).ToList();
                result[model.Name] = new LayerTable(layers, model.Value.GetProperty("classifier").GetBoolean());
            }
        }
        catch (Exception e) when (e is IOException or JsonException or InvalidOperationException or KeyNotFoundException)
        {
            // Completion then falls back to live models only; it must never fail at the prompt.
        }
        return result;
    }
}

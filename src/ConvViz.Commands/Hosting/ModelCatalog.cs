using System;
using System.Collections.Concurrent;
using ConvViz.Engine.Models;

namespace ConvViz.Commands.Hosting;

/// <summary>
/// Models named by string (-Model resnet18): "resnet18" is the embedded pretrained network,
/// the other built-in names are their random-initialised architectures (seed 0). Imported
/// once per session, so pipelines and tab completion do not pay the import again.
/// </summary>
internal static class ModelCatalog
{
    public const string DefaultName = "resnet18";
    private static readonly ConcurrentDictionary<string, Lazy<Model>> Cache = new(StringComparer.OrdinalIgnoreCase);

    public static Model Get(string name)
        => Cache.GetOrAdd(name.Trim(), n => new Lazy<Model>(() => new Model(Create(n)))).Value;

    public static bool TryGetCached(string name, out Model model)
    {
        model = null!;
        if (!Cache.TryGetValue(name.Trim(), out var lazy) || !lazy.IsValueCreated) return false;
        model = lazy.Value;
        return true;
    }

    private static ConvModel Create(string name)
        => string.Equals(name, DefaultName, StringComparison.OrdinalIgnoreCase)
            ? CreatePretrained(name)
            : BuiltInArchitectures.Create(name);

    private static ConvModel CreatePretrained(string name) => Pretrained.Create(name);
}

using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ConvViz.Engine.Import;
using ConvViz.Engine.Models;

namespace ConvViz.Commands.Hosting;

/// <summary>
/// Models named by string (-Model resnet18): "resnet18" is the embedded pretrained network,
/// the other built-in names are their random-initialised architectures (seed 0). Imported
/// once per session, so pipelines and tab completion do not pay the import again. Model files
/// named by path are imported once per file version. Every model made in the session is also
/// remembered (weakly), so records can find the model their weights came from.
/// </summary>
internal static class ModelCatalog
{
    public const string DefaultName = "resnet18";
    private static readonly ConcurrentDictionary<string, Lazy<Model>> Cache = new(StringComparer.OrdinalIgnoreCase);
    private static readonly ConcurrentDictionary<string, Lazy<Model>> Files = new(StringComparer.Ordinal);
    private static readonly List<WeakReference<Model>> Live = new();

    public static Model Get(string name)
        => Cache.GetOrAdd(name.Trim(), n => new Lazy<Model>(() => new Model(Create(n)))).Value;

    public static bool IsBuiltInName(string name)
        => BuiltInArchitectures.Names.Contains(name.Trim(), StringComparer.OrdinalIgnoreCase);

    public static bool TryGetCached(string name, out Model model)
    {
        model = null!;
        if (!Cache.TryGetValue(name.Trim(), out var lazy) || !lazy.IsValueCreated) return false;
        model = lazy.Value;
        return true;
    }

    /// <summary>
    /// A model file: ONNX, or a PyTorch state dict (.pth, .pt, .safetensors) for whichever
    /// built-in architecture it fits exactly.
    /// </summary>
    public static Model FromFile(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists) throw new FileNotFoundException($"Model file '{path}' does not exist.", path);
        var key = $"{info.FullName}|{info.Length}|{info.LastWriteTimeUtc.Ticks}";
        var lazy = Files.GetOrAdd(key, _ => new Lazy<Model>(() => new Model(Import(info.FullName))));
        try { return lazy.Value; }
        catch { Files.TryRemove(key, out _); throw; }
    }

    private static ConvModel Import(string path)
    {
        if (!ArchitectureRequiredException.IsPyTorchFile(path)) return OnnxImporter.Import(path);
        // A state dict holds only weights: it names its architecture only by fitting one exactly.
        var architecture = StateDict.ExactArchitecture(path)
            ?? throw new ArchitectureRequiredException(path, StateDict.Identify(path),
                $"Load it with Import-ConvModel -Path '{path}' -Architecture <name> and pass that model.");
        var built = BuiltInArchitectures.Create(architecture, 0);
        try
        {
            StateDict.Load(built, path);
            return WithStateDictSource(built, path, architecture);
        }
        catch
        {
            built.Dispose();
            throw;
        }
    }

    /// <summary>The built-in with a loaded state dict, described by its file (records name it when asking for the model).</summary>
    public static ConvModel WithStateDictSource(ConvModel built, string path, string architecture)
        => new(built.Name, $"{path} (state dict for {architecture.ToLowerInvariant()})", built.Graph, built.Layers, built.Input, built.Output, built.ClassNames);

    /// <summary>Remembers a model made in this session (weakly: it stays collectable).</summary>
    public static void Register(Model model)
    {
        lock (Live)
        {
            Live.RemoveAll(w => !w.TryGetTarget(out _));
            Live.Add(new WeakReference<Model>(model));
        }
    }

    /// <summary>
    /// A model of this session whose weights hash to <paramref name="weightsSha256"/>: models
    /// already hashed first, then those of the same name, then the built-in of that name.
    /// </summary>
    public static Model? FindByWeights(string name, string weightsSha256)
    {
        List<Model> live;
        lock (Live) live = Live.Select(w => w.TryGetTarget(out var m) ? m : null).OfType<Model>().ToList();
        var known = live.FirstOrDefault(m => m.WeightsKnown && m.WeightsSha256 == weightsSha256);
        if (known is not null) return known;
        var named = live.FirstOrDefault(m => !m.WeightsKnown && string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase) && m.WeightsSha256 == weightsSha256);
        if (named is not null) return named;
        if (!IsBuiltInName(name)) return null;
        var builtIn = Get(name);
        return builtIn.WeightsSha256 == weightsSha256 ? builtIn : null;
    }

    private static ConvModel Create(string name)
        => string.Equals(name, DefaultName, StringComparison.OrdinalIgnoreCase)
            ? CreatePretrained(name)
            : BuiltInArchitectures.Create(name);

    private static ConvModel CreatePretrained(string name) => Pretrained.Create(name);
}

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

    /// <summary>
    /// A -Model string that names a file rather than a built-in: it has a directory separator or
    /// a model file's extension (./my.onnx, my.onnx, C:\models\x.pth).
    /// </summary>
    public static bool IsPath(string value)
    {
        var s = value.Trim();
        if (BuiltInArchitectures.Exists(s) || string.Equals(s, DefaultName, StringComparison.OrdinalIgnoreCase)) return false;
        if (s.IndexOfAny(new[] { '/', '\\' }) >= 0) return true;
        var ext = System.IO.Path.GetExtension(s).ToLowerInvariant();
        return ext is ".onnx" or ".pth" or ".pt" or ".bin" or ".ckpt" or ".safetensors";
    }

    /// <summary>
    /// An ONNX file given as -Model, imported once per session and file version (its full path and
    /// write time). A PyTorch file needs its architecture, which a path cannot say: that is an error
    /// that names Import-ConvModel -Architecture.
    /// </summary>
    public static Model GetFile(string fullPath)
    {
        if (!System.IO.File.Exists(fullPath)) throw new System.IO.FileNotFoundException($"Model file '{fullPath}' does not exist.", fullPath);
        if (Engine.Import.ArchitectureRequiredException.IsPyTorchFile(fullPath))
            throw new Engine.Import.ArchitectureRequiredException(fullPath, Engine.Import.StateDict.Identify(fullPath),
                $"-Model takes no architecture: load the file with Import-ConvModel -Path '{fullPath}' -Architecture <name> and pass that model.");
        var key = $"file:{fullPath}|{System.IO.File.GetLastWriteTimeUtc(fullPath).Ticks}";
        return Cache.GetOrAdd(key, _ => new Lazy<Model>(() => new Model(Engine.Import.NoConvolutionException.Require(Engine.Import.OnnxImporter.Import(fullPath), fullPath)))).Value;
    }

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

using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ConvViz.Engine.Models;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace ConvViz.Engine.Import;

/// <summary>
/// PyTorch state dicts for the built-in architectures, whose node names are torchvision's
/// module names (features.0.weight, layer1.0.bn1.running_mean). Reads torch.save zip
/// archives (.pth, .pt, .bin) and .safetensors through TorchSharp.PyBridge; the pickle is
/// checked by <see cref="StateDictPickleGuard"/> first. num_batches_tracked is ignored
/// (inference never uses it). All tensors are checked before any is assigned, so a
/// mismatching file leaves the model untouched.
/// A training checkpoint (a dict with the state dict under state_dict, model_state_dict,
/// model or net, beside plain metadata such as epoch or optimizer state) gives that entry;
/// a prefix every name shares ("module." from DataParallel) is stripped. What was done is
/// returned as <see cref="StateDictOrigin"/> notes, which Import-ConvModel writes as verbose output.
/// </summary>
public static class StateDict
{
    /// <summary>Where a checkpoint dict may keep the model's state dict, in the order they are tried.</summary>
    public static readonly IReadOnlyList<string> CheckpointKeys = new[] { "state_dict", "model_state_dict", "model", "net" };

    /// <summary>Prefixes that wrappers put before every name: DataParallel / DistributedDataParallel.</summary>
    private static readonly string[] WrapperPrefixes = { "module." };

    public static bool IsSafetensors(string path) => path.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase);

    /// <summary>Name and shape of every tensor the model's state dict has, in graph order.</summary>
    public static IReadOnlyList<(string Name, long[] Shape)> Expected(ConvModel model)
        => model.Graph.NamedTensors().Select(t => (t.Name, t.Tensor.Value.shape)).ToList();

    public static StateDictOrigin Load(ConvModel model, string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"State dict '{path}' does not exist.", path);
        using var scope = NewDisposeScope();
        var expected = model.Graph.NamedTensors().ToList();
        // No entry of the file may be larger than the model's largest tensor as float64 (plus
        // the zip's own slack): a bigger one cannot be one of its weights, and may be a bomb.
        long largest = expected.Select(e => e.Tensor.Value.numel()).DefaultIfEmpty(0).Max();
        var loaded = Read(path, out var origin, largest * 8 + (1L << 20));
        var mismatches = Compare(expected.Select(e => (e.Name, e.Tensor.Value.shape)), loaded.ToDictionary(kv => kv.Key, kv => kv.Value.shape, StringComparer.Ordinal));
        if (mismatches.Count > 0)
            throw new StateDictMismatchException(path, model.Name, mismatches, NearestHint(loaded, model.Name));
        foreach (var (name, op, t) in expected) op.Assign(t.Name, loaded[name]);
        return origin;
    }

    /// <summary>Every missing, unexpected and mis-shaped tensor of <paramref name="found"/> against <paramref name="expected"/>.</summary>
    public static List<StateDictMismatch> Compare(IEnumerable<(string Name, long[] Shape)> expected, IReadOnlyDictionary<string, long[]> found)
    {
        var mismatches = new List<StateDictMismatch>();
        var known = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, shape) in expected)
        {
            known.Add(name);
            if (!found.TryGetValue(name, out var value)) mismatches.Add(new StateDictMismatch(name, shape, null));
            else if (!value.SequenceEqual(shape)) mismatches.Add(new StateDictMismatch(name, shape, value));
        }
        foreach (var (name, shape) in found.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            if (!known.Contains(name)) mismatches.Add(new StateDictMismatch(name, null, shape));
        return mismatches;
    }

    /// <summary>The built-in architectures ordered by how many tensors of the state dict they miss, lack or mis-shape.</summary>
    public static IReadOnlyList<(string Architecture, int Mismatches)> RankArchitectures(IReadOnlyDictionary<string, long[]> found)
        => BuiltInArchitectures.Names
            .Select(a => (a, Compare(BuiltInArchitectures.Schema(a), found).Count))
            .OrderBy(x => x.Item2).ToList();

    /// <summary>"It is a resnet34 state dict" or "the nearest built-in is ..." for error messages; null when nothing is near.</summary>
    public static string? NearestHint(IReadOnlyDictionary<string, Tensor> loaded, string? tried = null)
    {
        var found = loaded.ToDictionary(kv => kv.Key, kv => kv.Value.shape, StringComparer.Ordinal);
        if (found.Count == 0) return null;
        var ranked = RankArchitectures(found).Where(r => !string.Equals(r.Architecture, tried, StringComparison.OrdinalIgnoreCase)).ToList();
        if (ranked.Count == 0) return null;
        var best = ranked[0];
        if (best.Mismatches == 0) return $"it is a {best.Architecture} state dict: use -Architecture {best.Architecture}";
        // Nearer than the file's own size: otherwise the "nearest" is just the smallest network.
        if (best.Mismatches >= found.Count) return $"it fits no built-in architecture (nearest: {best.Architecture}, {best.Mismatches} mismatches); export the network to ONNX instead";
        var ties = ranked.TakeWhile(r => r.Mismatches == best.Mismatches).Select(r => r.Architecture);
        return $"it fits no built-in architecture; the nearest is {string.Join(" or ", ties)} with {best.Mismatches} mismatch{(best.Mismatches == 1 ? "" : "es")}";
    }

    /// <summary>The one built-in architecture whose schema the file's state dict fits exactly, or null.</summary>
    public static string? ExactArchitecture(string path)
    {
        using var scope = NewDisposeScope();
        var found = Read(path, out _).ToDictionary(kv => kv.Key, kv => kv.Value.shape, StringComparer.Ordinal);
        var exact = RankArchitectures(found).Where(r => r.Mismatches == 0).ToList();
        return exact.Count == 1 ? exact[0].Architecture : null;
    }

    /// <summary>For Import-ConvModel without -Architecture: which built-in the file's state dict is, if any.</summary>
    public static string? Identify(string path)
    {
        using var scope = NewDisposeScope();
        try { return NearestHint(Read(path, out _)); }
        catch (Exception e) when (e is InvalidDataException or IOException) { return null; }
    }

    /// <summary>Writes the model's state dict: .safetensors by extension, otherwise a torch.save zip archive PyTorch loads.</summary>
    public static void Save(ConvModel model, string path)
    {
        using var scope = NewDisposeScope();
        var dict = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, _, t) in model.Graph.NamedTensors()) dict[name] = t.Value.detach().cpu().contiguous();
        Write(dict, path);
    }

    /// <summary>Writes any name -> tensor map (tests use it to write deliberately wrong state dicts).</summary>
    public static void Write(IReadOnlyDictionary<string, Tensor> tensors, string path)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var dict = tensors.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        if (IsSafetensors(full)) Safetensors.SaveStateDict(full, dict);
        else PyTorchPickler.PickleStateDict(full, dict);
    }

    /// <summary>Every tensor in the file except num_batches_tracked; the tensors belong to the caller's dispose scope.</summary>
    public static Dictionary<string, Tensor> Read(string path) => Read(path, out _);

    /// <summary><see cref="Read(string)"/>, saying where in the file the tensors were and which prefix was stripped.</summary>
    public static Dictionary<string, Tensor> Read(string path, out StateDictOrigin origin, long maxEntryBytes = StateDictPickleGuard.DefaultMaxEntryBytes)
    {
        var raw = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        string? checkpointKey = null;
        var others = new List<string>();
        try
        {
            if (IsSafetensors(path))
            {
                CheckSafetensorsHeader(path);
                foreach (var (name, t) in Safetensors.LoadStateDict(path)) raw[name] = t;
            }
            else
            {
                StateDictPickleGuard.CheckArchive(path, maxEntryBytes);
                using var stream = File.OpenRead(path);
                var table = PyTorchUnpickler.UnpickleStateDict(stream, false, false);
                var dict = table;
                if (!AllTensors(table))
                {
                    checkpointKey = CheckpointKeys.FirstOrDefault(k => table[k] is Hashtable h && h.Count > 0 && AllTensors(h))
                        ?? throw NotAStateDict(path, table);
                    dict = (Hashtable)table[checkpointKey]!;
                    others.AddRange(table.Keys.Cast<object>().Select(k => k.ToString() ?? "").Where(k => k != checkpointKey).OrderBy(k => k, StringComparer.Ordinal));
                }
                foreach (DictionaryEntry e in dict) raw[(string)e.Key] = (Tensor)e.Value!;
            }
        }
        catch (Exception e) when (e is not InvalidDataException and not OutOfMemoryException and not IOException)
        {
            throw new InvalidDataException($"'{path}' could not be read as a {(IsSafetensors(path) ? "safetensors file" : "torch.save state dict")}: {e.Message}", e);
        }
        string? prefix = null;
        while (raw.Count > 0 && WrapperPrefixes.FirstOrDefault(p => raw.Keys.All(k => k.StartsWith(p, StringComparison.Ordinal))) is { } p)
        {
            prefix += p;
            raw = raw.ToDictionary(kv => kv.Key.Substring(p.Length), kv => kv.Value, StringComparer.Ordinal);
        }
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, t) in raw)
        {
            if (name.EndsWith(".num_batches_tracked", StringComparison.Ordinal) || name == "num_batches_tracked") { t.Dispose(); continue; }
            result[name] = t;
        }
        origin = new StateDictOrigin(path, checkpointKey, others, prefix);
        return result;
    }

    /// <summary>The header length (first 8 bytes, little-endian) must fit the file and stay small: PyBridge allocates it at once.</summary>
    private static void CheckSafetensorsHeader(string path)
    {
        using var s = File.OpenRead(path);
        var b = new byte[8];
        if (s.Read(b, 0, 8) < 8) throw new InvalidDataException($"'{path}' is not a safetensors file: it is shorter than its 8-byte header length.");
        ulong n = BitConverter.ToUInt64(b, 0);
        if (n > 100UL << 20 || n > (ulong)(s.Length - 8))
            throw new InvalidDataException($"'{path}' is not a readable safetensors file: its header claims {n:N0} bytes (the file has {s.Length - 8:N0} after the length; the limit is 100 MiB).");
    }

    private static bool AllTensors(Hashtable table)
    {
        foreach (DictionaryEntry e in table) if (e.Key is not string || e.Value is not Tensor) return false;
        return true;
    }

    private static InvalidDataException NotAStateDict(string path, Hashtable table)
    {
        var keys = table.Keys.Cast<object>().Select(k => k?.ToString() ?? "None").OrderBy(k => k, StringComparer.Ordinal).ToList();
        var firstPlain = table.Cast<DictionaryEntry>().FirstOrDefault(e => e.Value is not Tensor);
        var what = table.Values.Cast<object>().Any(v => v is Tensor)
            ? $"entry '{firstPlain.Key}' is not a tensor"
            : "it is a dict without tensors";
        return new InvalidDataException(
            $"'{path}' is not a state dict: {what}, and none of its entries {string.Join(", ", CheckpointKeys)} holds a dict of tensors (its entries: {string.Join(", ", keys.Take(20))}{(keys.Count > 20 ? ", ..." : "")}). "
            + "Save model.state_dict(), or a checkpoint dict with it under one of those keys.");
    }
}

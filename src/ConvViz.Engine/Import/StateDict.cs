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
/// </summary>
public static class StateDict
{
    public static bool IsSafetensors(string path) => path.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase);

    /// <summary>Name and shape of every tensor the model's state dict has, in graph order.</summary>
    public static IReadOnlyList<(string Name, long[] Shape)> Expected(ConvModel model)
        => model.Graph.NamedTensors().Select(t => (t.Name, t.Tensor.Value.shape)).ToList();

    public static void Load(ConvModel model, string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"State dict '{path}' does not exist.", path);
        using var scope = NewDisposeScope();
        var expected = model.Graph.NamedTensors().ToList();
        // No entry of the file may be larger than the model's largest tensor as float64 (plus
        // the zip's own slack): a bigger one cannot be one of its weights, and may be a bomb.
        long largest = expected.Select(e => e.Tensor.Value.numel()).DefaultIfEmpty(0).Max();
        var loaded = Read(path, largest * 8 + (1L << 20));
        var mismatches = new List<StateDictMismatch>();
        foreach (var (name, _, t) in expected)
        {
            if (!loaded.TryGetValue(name, out var value)) mismatches.Add(new StateDictMismatch(name, t.Value.shape, null));
            else if (!value.shape.SequenceEqual(t.Value.shape)) mismatches.Add(new StateDictMismatch(name, t.Value.shape, value.shape));
        }
        var known = expected.Select(e => e.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var (name, value) in loaded)
            if (!known.Contains(name)) mismatches.Add(new StateDictMismatch(name, null, value.shape));
        if (mismatches.Count > 0) throw new StateDictMismatchException(path, model.Name, mismatches);
        foreach (var (name, op, t) in expected) op.Assign(t.Name, loaded[name]);
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
    public static Dictionary<string, Tensor> Read(string path, long maxEntryBytes = StateDictPickleGuard.DefaultMaxEntryBytes)
    {
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            if (IsSafetensors(path))
            {
                CheckSafetensorsHeader(path);
                foreach (var (name, t) in Safetensors.LoadStateDict(path)) Keep(result, name, t);
            }
            else
            {
                StateDictPickleGuard.CheckArchive(path, maxEntryBytes);
                using var stream = File.OpenRead(path);
                var table = PyTorchUnpickler.UnpickleStateDict(stream, false, false);
                foreach (DictionaryEntry e in table)
                {
                    if (e.Value is not Tensor t)
                        throw new InvalidDataException($"'{path}' is not a state dict: entry '{e.Key}' is not a tensor.");
                    Keep(result, (string)e.Key, t);
                }
            }
        }
        catch (Exception e) when (e is not InvalidDataException and not OutOfMemoryException and not IOException)
        {
            throw new InvalidDataException($"'{path}' could not be read as a {(IsSafetensors(path) ? "safetensors file" : "torch.save state dict")}: {e.Message}", e);
        }
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

    private static void Keep(Dictionary<string, Tensor> result, string name, Tensor t)
    {
        if (name.EndsWith(".num_batches_tracked", StringComparison.Ordinal)) { t.Dispose(); return; }
        result[name] = t;
    }
}

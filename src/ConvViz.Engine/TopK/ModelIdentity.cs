using System;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using ConvViz.Engine.Models;
using static TorchSharp.torch;

namespace ConvViz.Engine.TopK;

/// <summary>
/// Which model a scan state belongs to: name, source and SHA-256 over every named tensor
/// (name, dtype, shape, then the raw little-endian values). Hashing the weights rather than a
/// file means two loads of the same weights agree wherever the file lies.
/// </summary>
public sealed record ModelIdentity(string Name, string Source, string WeightsSha256)
{
    public static ModelIdentity Of(ConvModel model)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (name, _, named) in model.Graph.NamedTensors())
        {
            var t = named.Value;
            sha.AppendData(Encoding.UTF8.GetBytes($"{name}|{t.dtype}|{string.Join("x", t.shape)}\n"));
            using var cpu = t.detach().cpu().contiguous();
            AppendValues(sha, cpu);
        }
        // The input geometry changes what a scan sees, so it is part of the identity too.
        sha.AppendData(Encoding.UTF8.GetBytes(model.Input.ToString()));
        return new ModelIdentity(model.Name, model.Source, Convert.ToHexString(sha.GetHashAndReset()).ToLowerInvariant());
    }

    private static void AppendValues(IncrementalHash sha, Tensor t)
    {
        switch (t.dtype)
        {
            case ScalarType.Float32: sha.AppendData(MemoryMarshal.AsBytes(t.data<float>().ToArray().AsSpan())); break;
            case ScalarType.Float64: sha.AppendData(MemoryMarshal.AsBytes(t.data<double>().ToArray().AsSpan())); break;
            case ScalarType.Int64: sha.AppendData(MemoryMarshal.AsBytes(t.data<long>().ToArray().AsSpan())); break;
            case ScalarType.Int32: sha.AppendData(MemoryMarshal.AsBytes(t.data<int>().ToArray().AsSpan())); break;
            default:
                using (var f = t.to(ScalarType.Float64)) sha.AppendData(MemoryMarshal.AsBytes(f.data<double>().ToArray().AsSpan()));
                break;
        }
    }
}

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
            // detach, cpu and contiguous each make a handle; the scope frees all of them now, not the finalizer later.
            using var scope = NewDisposeScope();
            AppendValues(sha, t.detach().cpu().contiguous());
        }
        // The input geometry changes what a scan sees, so it is part of the identity too.
        sha.AppendData(Encoding.UTF8.GetBytes(model.Input.ToString()));
        return new ModelIdentity(model.Name, model.Source, Convert.ToHexString(sha.GetHashAndReset()).ToLowerInvariant());
    }

    // Values go through one small reused buffer: copying each weight tensor to a fresh array
    // made every scan allocate the whole model again on the managed heap (250 MB for zfnet).
    private const int Chunk = 1 << 16;

    private static void AppendValues(IncrementalHash sha, Tensor t)
    {
        switch (t.dtype)
        {
            case ScalarType.Float32: Append<float>(sha, t); break;
            case ScalarType.Float64: Append<double>(sha, t); break;
            case ScalarType.Int64: Append<long>(sha, t); break;
            case ScalarType.Int32: Append<int>(sha, t); break;
            default:
                using (var f = t.to(ScalarType.Float64)) Append<double>(sha, f);
                break;
        }
    }

    private static void Append<T>(IncrementalHash sha, Tensor t) where T : unmanaged
    {
        using var flat = t.reshape(-1);
        long count = flat.numel();
        var buffer = new T[(int)Math.Min(Chunk, Math.Max(1, count))];
        for (long start = 0; start < count; start += buffer.Length)
        {
            int length = (int)Math.Min(buffer.Length, count - start);
            using var part = flat.narrow(0, start, length);
            using var values = part.data<T>();
            values.CopyTo(buffer, 0, 0);
            sha.AppendData(MemoryMarshal.AsBytes(buffer.AsSpan(0, length)));
        }
    }
}

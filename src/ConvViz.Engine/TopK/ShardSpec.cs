using System;
using System.Security.Cryptography;
using System.Text;

namespace ConvViz.Engine.TopK;

/// <summary>
/// Shard Index of Count, both 1-based as users write them ("2/3" is the second of three).
/// An image belongs to shard 1 + (h mod Count), where h is the first 8 bytes (big-endian) of
/// SHA-256 over the UTF-8 full path: each machine decides alone, whatever order or subset of
/// the other paths it saw. Shards therefore must see the images under the same full paths.
/// </summary>
public sealed record ShardSpec(int Index, int Count)
{
    public static ShardSpec Parse(string text)
    {
        var parts = (text ?? "").Split('/');
        if (parts.Length == 2 && int.TryParse(parts[0].Trim(), out int i) && int.TryParse(parts[1].Trim(), out int n) && n >= 1 && i >= 1 && i <= n)
            return new ShardSpec(i, n);
        throw new ArgumentException($"Shard '{text}' is not of the form 'i/n' with 1 <= i <= n (for example '1/3', '2/3', '3/3').");
    }

    public bool Contains(string fullPath) => Count == 1 || ShardOf(fullPath, Count) == Index;

    public static int ShardOf(string fullPath, int count)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(fullPath), hash);
        ulong h = 0;
        for (int b = 0; b < 8; b++) h = (h << 8) | hash[b];
        return (int)(h % (ulong)count) + 1;
    }

    public override string ToString() => $"{Index}/{Count}";
}

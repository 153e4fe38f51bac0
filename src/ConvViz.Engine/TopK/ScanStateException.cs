using System;
using System.IO;

namespace ConvViz.Engine.TopK;

/// <summary>A scan state file that cannot be used: corrupt, truncated, from a newer ConvViz, or for another scan.</summary>
public sealed class ScanStateException : IOException
{
    public ScanStateException(string path, string reason, Exception? inner = null)
        : base($"Scan state '{path}' cannot be used: {reason}", inner)
    {
        Path = path;
        Reason = reason;
    }

    public string Path { get; }
    public string Reason { get; }
}

using System;
using System.Collections.Generic;

namespace ConvViz.Engine.Import;

/// <summary>
/// An ONNX node ConvViz cannot translate into a graph op with an exact adjoint. The message
/// names the node, its operator, the opset and what is supported, so users know which part
/// of their export to change.
/// </summary>
public sealed class UnsupportedOperatorException : NotSupportedException
{
    public UnsupportedOperatorException(string file, string node, string opType, long opset, string? detail, IEnumerable<string> supported)
        : base(Describe(file, node, opType, opset, detail, supported))
    {
        File = file; Node = node; OpType = opType; Opset = opset; Detail = detail;
    }

    public string File { get; }
    public string Node { get; }
    public string OpType { get; }
    public long Opset { get; }
    /// <summary>Null when the operator itself is unknown; otherwise why this use of a known operator is not supported.</summary>
    public string? Detail { get; }

    private static string Describe(string file, string node, string opType, long opset, string? detail, IEnumerable<string> supported)
    {
        var where = $"ONNX node '{node}' in '{file}' uses operator '{opType}' (opset {opset})";
        return detail is null
            ? $"{where}, which ConvViz does not support. Supported: {string.Join(", ", supported)}."
            : $"{where} in a way ConvViz does not support: {detail}.";
    }
}

using System.Collections.Generic;
using System;
using System.Linq;

namespace ConvViz.Engine.Import;

/// <summary>One difference between a state dict and the model it was loaded into; null shape = absent.</summary>
public sealed record StateDictMismatch(string Name, long[]? Expected, long[]? Found)
{
    public string Problem => Expected is null ? "unexpected" : Found is null ? "missing" : "wrong shape";

    public override string ToString()
        => $"{Name}: {Problem} (expected {Shape(Expected)}, found {Shape(Found)})";

    private static string Shape(long[]? s) => s is null ? "none" : "[" + string.Join("x", s) + "]";
}

/// <summary>
/// A state dict that does not fit the architecture. Every missing, unexpected and wrongly
/// shaped tensor is listed at once, so one run shows everything to fix.
/// </summary>
public sealed class StateDictMismatchException : FormatException
{
    /// <param name="nearest">Which built-in the file does fit, or the nearest one (see StateDict.NearestHint); null for none.</param>
    public StateDictMismatchException(string file, string model, IReadOnlyList<StateDictMismatch> mismatches, string? nearest = null)
        : base($"State dict '{file}' does not fit model '{model}' ({mismatches.Count} mismatch{(mismatches.Count == 1 ? "" : "es")})"
               + (nearest is null ? "" : $"; {nearest}") + ":"
               + string.Concat(mismatches.Select(m => "\n  " + m)))
    {
        File = file; Mismatches = mismatches; Nearest = nearest;
    }

    public string? Nearest { get; }

    public string File { get; }
    public IReadOnlyList<StateDictMismatch> Mismatches { get; }
}

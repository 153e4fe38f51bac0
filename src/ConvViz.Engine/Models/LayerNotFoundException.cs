using System;
using System.Collections.Generic;

namespace ConvViz.Engine.Models;

/// <summary>A layer name or pattern matched nothing; carries the nearest names for the message.</summary>
public sealed class LayerNotFoundException : ArgumentException
{
    public LayerNotFoundException(string requested, string model, IReadOnlyList<string> suggestions, IReadOnlyList<string> available)
        : base(Describe(requested, model, suggestions, available))
    {
        Requested = requested; Suggestions = suggestions; Available = available;
    }

    public string Requested { get; }
    public IReadOnlyList<string> Suggestions { get; }
    public IReadOnlyList<string> Available { get; }

    private static string Describe(string requested, string model, IReadOnlyList<string> suggestions, IReadOnlyList<string> available)
    {
        var hint = suggestions.Count > 0 ? $" Did you mean {string.Join(" or ", suggestions)}?" : "";
        var list = available.Count <= 40 ? string.Join(", ", available) : string.Join(", ", System.Linq.Enumerable.Take(available, 40)) + $", ... ({available.Count} in all)";
        return $"Model '{model}' has no layer '{requested}'.{hint} Available layers: {list}.";
    }
}

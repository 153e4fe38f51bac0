using System;
using System.Collections.Generic;

namespace ConvViz.Engine.Grid;

/// <summary>A unit (channel) of a layer with its ranked items, strongest first.</summary>
public sealed record UnitEntry(string Layer, int Unit, IReadOnlyList<UnitItem> Items)
{
    /// <summary>The projection method of each projection panel, in order (empty: not labelled).</summary>
    public IReadOnlyList<string> Methods { get; init; } = Array.Empty<string>();
}

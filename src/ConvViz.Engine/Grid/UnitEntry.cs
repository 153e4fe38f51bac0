using System.Collections.Generic;

namespace ConvViz.Engine.Grid;

/// <summary>A unit (channel) of a layer with its ranked items, strongest first.</summary>
public sealed record UnitEntry(string Layer, int Unit, IReadOnlyList<UnitItem> Items);

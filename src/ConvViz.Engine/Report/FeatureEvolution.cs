using System.Collections.Generic;
using ConvViz.Engine.Grid;

namespace ConvViz.Engine.Report;

/// <summary>The same units across several models or checkpoints (the paper's Figure 4):
/// one column per model, one row per unit.</summary>
public sealed record FeatureEvolution(string Title, IReadOnlyList<string> Models, IReadOnlyList<FeatureEvolutionRow> Rows);

/// <summary>One unit; Cells[i] is its entry in Models[i], or null where that model lacks it.</summary>
public sealed record FeatureEvolutionRow(string Layer, int Unit, IReadOnlyList<UnitEntry?> Cells);

using System.Collections.Generic;

namespace ConvViz.Engine.Graph;

/// <summary>What an op's adjoint may use: the rule, the switches, and its inputs' shapes (without batch).</summary>
public sealed record ProjectionContext(ProjectionRule Rule, SwitchTape Tape, int Node, IReadOnlyList<long[]> InputShapes);

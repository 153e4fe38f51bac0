namespace ConvViz.Engine.FeatureVisualization;

/// <summary>One unit to visualise: the graph node its layer is read at, the unit (channel), the objective and its sign.</summary>
public sealed record VisualizationRequest(string Layer, int Node, int Unit, VisualizationObjective Objective, bool Negative)
{
    /// <summary>A per-unit seed from the run's seed, so a unit's start and transforms do not depend on its batch.</summary>
    public int SeedFor(int seed)
    {
        unchecked
        {
            uint h = 2166136261;
            void Mix(int v) { for (int i = 0; i < 4; i++) { h ^= (byte)(v >> (8 * i)); h *= 16777619; } }
            Mix(seed); Mix(Node); Mix(Unit); Mix((int)Objective); Mix(Negative ? 1 : 0);
            foreach (var c in Layer) Mix(c);
            return (int)(h & 0x7fffffff);
        }
    }
}

namespace ConvViz.Engine.FeatureVisualization;

/// <summary>
/// One optimised image: Pixels are 3 x Size x Size floats, channel-major, RGB in the model's raw
/// input range [0, PixelMax]. Value is the objective's quantity (channel mean or centre neuron,
/// without the sign flip) on the final image without transforms; Max the largest value of the
/// unit's map there; StartValue the same quantity on the random start.
/// </summary>
public sealed record VisualizationResult(VisualizationRequest Request, int Size, float PixelMax, float[] Pixels, float Value, float Max, float StartValue, int Steps, int Seed);

/// <summary>Progress of a run: optimisation steps done over all batches, of the total.</summary>
public readonly record struct VisualizationProgress(long StepsDone, long StepsTotal, int BatchesDone, int Batches);

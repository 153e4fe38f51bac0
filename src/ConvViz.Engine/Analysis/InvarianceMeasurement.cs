namespace ConvViz.Engine.Analysis;

/// <summary>
/// One point of an invariance curve: after <see cref="Transform"/> by <see cref="Amount"/>, the
/// Euclidean distance between the flattened activations of <see cref="Layer"/> for the
/// transformed and the original image, and (classifiers only) the probability of
/// <see cref="Class"/> for the transformed image.
/// </summary>
public sealed record InvarianceMeasurement(
    InvarianceTransform Transform,
    double Amount,
    string Layer,
    double Distance,
    int? Class,
    string? ClassName,
    float? Probability);

using System.Collections.Generic;

namespace ConvViz.Engine.Analysis;

/// <summary>
/// How consistently occluding one object part changes one layer's features across images
/// (section 4.3). Consistency is the mean, over the pairs of images, of the Hamming distance
/// between the signs of their feature changes, as a fraction of the layer's Features: 0 means
/// every image's features moved the same way, lower is more consistent. The random control is
/// the same measure for squares of the same size placed at random, averaged over the trials
/// (RandomStdDev is the spread of the per-trial means); null when no trials were run.
/// </summary>
public sealed record CorrespondenceResult(
    string Part,
    string Layer,
    int Images,
    int Pairs,
    long Features,
    IReadOnlyList<string> ImagePaths,
    double Consistency,
    double ConsistencyStdDev,
    int RandomTrials,
    double? RandomConsistency,
    double? RandomStdDev);

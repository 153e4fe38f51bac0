using System.Collections.Generic;
using ConvViz.Engine.Graph;

namespace ConvViz.Engine.Projection;

/// <summary>
/// How <see cref="ImageProjector"/> projects: the rules (all from one forward pass; null takes
/// each layer's <see cref="MethodChoice"/>) and the crop.
/// </summary>
public sealed record ProjectionSettings(IReadOnlyList<ProjectionRule>? Rules = null, ProjectionCrop? CropOptions = null)
{
    public ProjectionCrop Crop => CropOptions ?? ProjectionCrop.Field;
}

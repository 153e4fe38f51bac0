using ConvViz.Engine.Models;

namespace ConvViz.Engine.Projection;

/// <summary>
/// One activation of one image to project: a layer (name or alias) at a stage, a unit, and a
/// feature-map position; a negative Y means the unit's strongest position in that image.
/// </summary>
public sealed record ProjectionRequest(string ImagePath, string Layer, Stage Stage, int Unit, int Y = -1, int X = -1, bool KeepFeatureMap = false);

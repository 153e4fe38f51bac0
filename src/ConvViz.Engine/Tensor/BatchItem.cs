using ConvViz.Engine.Image;

namespace ConvViz.Engine.Tensors;

/// <summary>One image of a batch: where it came from, its content hash (lower-case hex SHA-256) and how it was fitted.</summary>
public sealed record BatchItem(long Sequence, string Path, string ContentHash, ImageGeometry Geometry);

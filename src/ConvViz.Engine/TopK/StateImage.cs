using ConvViz.Engine.Image;

namespace ConvViz.Engine.TopK;

/// <summary>An image a scan has counted: its sequence number, full path, content hash (hex SHA-256) and fitting.</summary>
public sealed record StateImage(long Sequence, string Path, string ContentHash, ImageGeometry Geometry);

// Namespace is plural: a namespace named "Tensor" would hide TorchSharp's Tensor type engine-wide.
namespace ConvViz.Engine.Tensors;

/// <summary>An image to scan and the sequence number the scan gave it.</summary>
public sealed record ImageRequest(long Sequence, string Path);

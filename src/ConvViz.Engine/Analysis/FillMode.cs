namespace ConvViz.Engine.Analysis;

/// <summary>What replaces image content: the occluding square, or the area a transform uncovers.</summary>
public enum FillMode
{
    /// <summary>The image's own per-channel mean colour: adds no new colour, so the change measured is the loss of content.</summary>
    Mean,
    /// <summary>Mid grey, PixelMax / 2 in every channel (the paper's grey square).</summary>
    Gray,
    /// <summary>Black (0 in every channel): matches zero padding, so a conv net sees it as "nothing there".</summary>
    Zero,
}

namespace ConvViz.Engine.Image;

/// <summary>What transparent pixels are composited onto before the model sees them.</summary>
public enum AlphaBackground
{
    /// <summary>out = rgb * a: transparent regions become 0, contributing nothing to a conv (the default).</summary>
    Black,
    /// <summary>out = rgb * a + max * (1 - a): how browsers show a transparent image on a page.</summary>
    White,
}

namespace ConvViz.Engine.Analysis;

/// <summary>The image transformations of the paper's Figure 5.</summary>
public enum InvarianceTransform
{
    /// <summary>Shift by Amount model-input pixels (positive: down and/or right, see <see cref="TranslateDirection"/>).</summary>
    Translate,
    /// <summary>Scale about the image centre by the factor Amount (above 1 zooms in, below 1 shrinks and leaves a border).</summary>
    Scale,
    /// <summary>Rotate about the image centre by Amount degrees, clockwise on screen (y points down).</summary>
    Rotate,
}

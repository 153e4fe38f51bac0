namespace ConvViz.Engine.Analysis;

/// <summary>Which way <see cref="InvarianceTransform.Translate"/> moves the image.</summary>
public enum TranslateDirection
{
    /// <summary>Down for a positive amount (the paper's Figure 5, first column).</summary>
    Vertical,
    /// <summary>Right for a positive amount.</summary>
    Horizontal,
    /// <summary>Down and right by the amount each (diagonally).</summary>
    Both,
}

namespace ConvViz.Engine.Grid;

/// <summary>Which panels a unit shows on a patch grid.</summary>
public enum PatchPanels
{
    /// <summary>Only the deconvnet projections.</summary>
    Projections,
    /// <summary>Only the image patches.</summary>
    Patches,
    /// <summary>Projections on the left, matching patches on the right (the paper's Figure 2).</summary>
    Both,
}

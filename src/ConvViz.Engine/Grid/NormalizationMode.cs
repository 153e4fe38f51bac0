namespace ConvViz.Engine.Grid;

/// <summary>How a float image (a projection, a filter) is mapped to displayable [0, 1].</summary>
public enum NormalizationMode
{
    /// <summary>v -> 0.5 + v / (2 m), m = max |v|: zero is mid-grey and the extreme value reaches 0 or 1 (the paper's figures).</summary>
    Symmetric,
    /// <summary>v -> (v - min) / (max - min): the full range is stretched to [0, 1]; zero has no fixed grey.</summary>
    MinMax,
    /// <summary>v -> |v| / m, m = max |v|: magnitude only, zero is black.</summary>
    Absolute,
    /// <summary>
    /// As Symmetric, with m the 99th percentile of the non-zero |v| and values beyond it
    /// clipped: a few extreme pixels no longer wash out the faint, spread-out projections of
    /// deep layers. The default for sheets and reports.
    /// </summary>
    Robust,
}

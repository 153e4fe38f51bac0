namespace ConvViz.Engine.Graph;

/// <summary>
/// How a backward projection treats the nonlinearities. The three methods share every
/// linear adjoint and the max-pool switches; they differ only at ReLU (and Deconvnet
/// passes LRN through unchanged, as Zeiler and Fergus's deconvnet does).
/// </summary>
public enum ProjectionRule
{
    /// <summary>Zeiler and Fergus: rectify the reconstruction signal.</summary>
    Deconvnet,
    /// <summary>Springenberg et al.: rectify the signal and mask by the forward ReLU.</summary>
    GuidedBackprop,
    /// <summary>Simonyan et al.: the plain gradient, masked by the forward ReLU.</summary>
    Gradient,
}

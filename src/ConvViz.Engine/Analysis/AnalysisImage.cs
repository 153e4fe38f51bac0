using ConvViz.Engine.Image;
using ConvViz.Engine.Models;

namespace ConvViz.Engine.Analysis;

/// <summary>A photo file as the model input, for the analyses: decoded (<see cref="ImageDecoder"/>: EXIF, limits) then fitted (<see cref="ImageFitter"/>).</summary>
public static class AnalysisImage
{
    public static FittedImage Load(string path, InputSpec spec, ImageDecodeOptions? options = null)
    {
        return ImageFitter.Load(path, spec, options);
    }
}

using ConvViz.Engine.Graph;
using ConvViz.Engine.Image;

namespace ConvViz.Engine.Projection;

/// <summary>
/// A projection back to pixel space, with what a viewer needs beside it. Full is C x H x W in
/// model-input pixels (unnormalised); Crop is Full cut to InputBox (the unit's receptive
/// field); Patch is the matching crop of the original image (ImageBox), as RGB bytes.
/// </summary>
public sealed record ImageProjection(
    ProjectionRequest Request,
    string Layer,
    int Y, int X, float Value,
    float[] Full, int InputHeight, int InputWidth,
    PixelBox InputBox, PixelBox ImageBox,
    float[] Crop,
    byte[] Patch,
    ImageGeometry Geometry);

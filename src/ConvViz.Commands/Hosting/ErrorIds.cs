using ConvViz.Engine.Image;

namespace ConvViz.Commands.Hosting;

/// <summary>Stable ErrorIds for the failures scripts branch on.</summary>
internal static class ErrorIds
{
    /// <summary>"ImageTruncated", "ImageTooLarge", ...: one per reason an image cannot be read.</summary>
    public static string For(ImageReadException e) => "Image" + e.Reason;
}

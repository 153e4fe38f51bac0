using System;
using System.IO;

namespace ConvViz.Engine.Image;

/// <summary>A file that cannot be used as an image; the message names the file and the reason.</summary>
public sealed class ImageReadException : IOException
{
    public ImageReadException(string path, ImageReadReason reason, string detail, Exception? inner = null)
        : base($"Cannot read image '{path}': {Describe(reason)}{(string.IsNullOrEmpty(detail) ? "" : " (" + detail + ")")}.", inner)
    {
        Path = path; Reason = reason; Detail = detail;
    }

    public string Path { get; }
    public ImageReadReason Reason { get; }
    public string Detail { get; }

    public static string Describe(ImageReadReason reason) => reason switch
    {
        ImageReadReason.NotFound => "the file does not exist",
        ImageReadReason.IsDirectory => "it is a directory, not a file",
        ImageReadReason.Empty => "the file is empty (0 bytes)",
        ImageReadReason.Unreadable => "the file cannot be read",
        ImageReadReason.NotAnImage => "the content is not an image",
        ImageReadReason.UnsupportedFormat => "the image format is not supported",
        ImageReadReason.Truncated => "the image data is truncated",
        ImageReadReason.Corrupt => "the image data is corrupt",
        ImageReadReason.TooLarge => "the image is larger than the allowed limit",
        ImageReadReason.NotAFile => "it is not a regular file",
        _ => reason.ToString(),
    };
}

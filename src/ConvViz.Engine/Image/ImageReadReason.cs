namespace ConvViz.Engine.Image;

/// <summary>Why a file could not become an image. Stable: the cmdlets build ErrorIds from it.</summary>
public enum ImageReadReason
{
    /// <summary>The path does not exist.</summary>
    NotFound,
    /// <summary>The path is a directory.</summary>
    IsDirectory,
    /// <summary>The file has zero bytes.</summary>
    Empty,
    /// <summary>The file could not be opened or read (permissions, I/O error, locked).</summary>
    Unreadable,
    /// <summary>The bytes are no image format at all (text, HTML, random data).</summary>
    NotAnImage,
    /// <summary>An image format ImageSharp 2.1 does not read (HEIC, AVIF, JPEG 2000, PSD, ICO ...) or a variant of a known one it does not support.</summary>
    UnsupportedFormat,
    /// <summary>The header is fine but the data ends early.</summary>
    Truncated,
    /// <summary>The image data is damaged in some other way.</summary>
    Corrupt,
    /// <summary>The path is a FIFO, socket or device, not a regular file; it is never opened for reading.</summary>
    NotAFile,
    /// <summary>The header declares more pixels (or the file has more bytes) than the configured limit.</summary>
    TooLarge,
}

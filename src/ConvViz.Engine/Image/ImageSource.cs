using System;
using System.IO;
using System.Security.Cryptography;

namespace ConvViz.Engine.Image;

/// <summary>
/// One image file read whole into memory: its full path, bytes and SHA-256. Reading once
/// means the content hash (used by scan states to recognise images) is the hash of exactly
/// the bytes that were decoded, even if the file changes on disk meanwhile.
/// </summary>
public sealed class ImageSource
{
    private ImageSource(string path, byte[] bytes)
    {
        Path = path;
        Bytes = bytes;
        ContentHash = Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant();
    }

    public string Path { get; }
    public byte[] Bytes { get; }
    /// <summary>Lower-case hex SHA-256 of <see cref="Bytes"/>.</summary>
    public string ContentHash { get; }

    public static ImageSource FromBytes(string path, byte[] bytes) => new(path, bytes);

    /// <summary>Reads a file; every failure becomes an <see cref="ImageReadException"/> with a reason code.</summary>
    public static ImageSource Read(string path, ImageDecodeOptions? options = null)
    {
        options ??= ImageDecodeOptions.Default;
        string full;
        try { full = System.IO.Path.GetFullPath(path); }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new ImageReadException(path, ImageReadReason.Unreadable, e.Message, e);
        }
        if (Directory.Exists(full)) throw new ImageReadException(full, ImageReadReason.IsDirectory, "");
        if (!File.Exists(full)) throw new ImageReadException(full, ImageReadReason.NotFound, "");
        // Only regular files: opening a FIFO blocks until a writer comes, a device may never end.
        var kind = Runtime.FileKind.Of(full);
        if (kind == Runtime.FileKindValue.Missing) throw new ImageReadException(full, ImageReadReason.NotFound, "");
        if (kind != Runtime.FileKindValue.Regular) throw new ImageReadException(full, ImageReadReason.NotAFile, Runtime.FileKind.Describe(kind));
        try
        {
            using var stream = new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            // The path may have been replaced between the check and the open.
            var opened = Runtime.FileKind.Of(stream.SafeFileHandle);
            if (opened != Runtime.FileKindValue.Regular) throw new ImageReadException(full, ImageReadReason.NotAFile, Runtime.FileKind.Describe(opened));
            long length = stream.Length;
            if (length == 0) throw new ImageReadException(full, ImageReadReason.Empty, "");
            if (length > options.MaxFileBytes)
                throw new ImageReadException(full, ImageReadReason.TooLarge, $"{length:N0} bytes, limit {options.MaxFileBytes:N0}");
            var bytes = new byte[length];
            int read = 0;
            while (read < bytes.Length)
            {
                int n = stream.Read(bytes, read, bytes.Length - read);
                if (n == 0) break;
                read += n;
            }
            // The file shrank while we read it; keep what is there.
            if (read < bytes.Length) Array.Resize(ref bytes, read);
            if (bytes.Length == 0) throw new ImageReadException(full, ImageReadReason.Empty, "");
            return new ImageSource(full, bytes);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException && e is not ImageReadException)
        {
            throw new ImageReadException(full, ImageReadReason.Unreadable, e.Message, e);
        }
    }
}

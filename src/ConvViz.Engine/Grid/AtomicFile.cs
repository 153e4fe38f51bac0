using System;
using System.IO;

namespace ConvViz.Engine.Grid;

/// <summary>
/// Writes a file all-or-nothing: the content goes to a temporary file in the SAME directory
/// (so the final rename never crosses file systems), is flushed to disk, then renamed over
/// the target. On any failure the temporary file is deleted and an earlier file at the
/// target is left untouched.
/// </summary>
public static class AtomicFile
{
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(write);
        string full = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(full) ?? throw new ArgumentException($"'{path}' has no directory.", nameof(path));
        if (!Directory.Exists(directory)) throw new DirectoryNotFoundException($"Cannot write '{path}': the directory '{directory}' does not exist.");
        if (Directory.Exists(full)) throw new IOException($"Cannot write '{path}': it is a directory.");
        string temp = Path.Combine(directory, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        catch (IOException e)
        {
            TryDelete(temp);
            // The OS names the temporary file; the user asked for the target.
            throw new IOException($"Cannot write '{full}': {e.Message.Replace($" : '{temp}'", "", StringComparison.Ordinal)}. {Unchanged(full)}", e);
        }
        catch (UnauthorizedAccessException e)
        {
            TryDelete(temp);
            throw new UnauthorizedAccessException($"Cannot write '{full}': {e.Message}. {Unchanged(full)}", e);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    private static string Unchanged(string full) => File.Exists(full) ? "The existing file is unchanged." : "Nothing was written.";

    private static void TryDelete(string temp)
    {
        try { File.Delete(temp); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}

using System;
using System.IO;

namespace ConvViz.Commands.Hosting;

/// <summary>Checks, before any work, that an output file can be written where it is asked for.</summary>
internal static class StateFiles
{
    public static void EnsureWritable(string path)
    {
        var dir = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
        if (string.IsNullOrEmpty(dir) || !Directory.Exists(dir))
            throw new DirectoryNotFoundException($"Cannot write '{path}': folder '{dir}' does not exist.");
        if (Directory.Exists(path))
            throw new IOException($"Cannot write '{path}': it is a folder.");
        // Probe with a temporary file beside it: the real file is only ever replaced atomically.
        var probe = System.IO.Path.Combine(dir, $".convviz-probe-{Guid.NewGuid():N}");
        try { using (File.Create(probe, 1, FileOptions.DeleteOnClose)) { } }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw new UnauthorizedAccessException($"Cannot write '{path}': {e.Message}", e);
        }
    }
}

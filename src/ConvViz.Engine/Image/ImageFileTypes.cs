using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace ConvViz.Engine.Image;

/// <summary>The file extensions of the formats ImageSharp reads, for picking images out of folders.</summary>
public static class ImageFileTypes
{
    private static readonly Lazy<HashSet<string>> Known = new(() =>
        new HashSet<string>(
            SixLabors.ImageSharp.Configuration.Default.ImageFormats
                .SelectMany(f => f.FileExtensions)
                .Select(e => "." + e.TrimStart('.').ToLowerInvariant()),
            StringComparer.OrdinalIgnoreCase));

    public static IReadOnlyCollection<string> Extensions => Known.Value;

    public static bool IsImageFile(string path) => Known.Value.Contains(Path.GetExtension(path));

    /// <summary>
    /// The image files of a folder, in ordinal order; subfolders too when recursive. Every real
    /// directory is listed once: a link to a folder already visited (a loop such as
    /// <c>sub/loop -> ..</c>, or a second link to one folder) is passed to
    /// <paramref name="repeated"/> (the link's path, the real folder) and not entered again.
    /// Plain subfolders are walked before links, so a folder inside the tree is reported under
    /// its own path, never under a link's.
    /// </summary>
    public static IEnumerable<string> InDirectory(string directory, bool recurse, Action<string, string>? repeated = null)
    {
        var options = new EnumerationOptions
        {
            RecurseSubdirectories = false,
            IgnoreInaccessible = true,
            AttributesToSkip = FileAttributes.Hidden | FileAttributes.System,
            MatchType = MatchType.Simple,
        };
        var visited = new HashSet<string>(StringComparer.Ordinal);
        var files = new List<string>();
        var direct = new Stack<string>();
        var links = new Queue<string>();
        direct.Push(directory);
        while (direct.Count > 0 || links.Count > 0)
        {
            var dir = direct.Count > 0 ? direct.Pop() : links.Dequeue();
            var real = Runtime.FileKind.RealPath(dir) ?? Path.GetFullPath(dir);
            if (!visited.Add(real))
            {
                repeated?.Invoke(dir, real);
                continue;
            }
            IEnumerable<FileSystemInfo> entries;
            try { entries = new DirectoryInfo(dir).EnumerateFileSystemInfos("*", options).ToList(); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { continue; }
            foreach (var entry in entries)
            {
                if (entry is DirectoryInfo sub)
                {
                    if (!recurse) continue;
                    if (sub.LinkTarget is not null) links.Enqueue(sub.FullName);
                    else direct.Push(sub.FullName);
                }
                else if (IsImageFile(entry.Name)) files.Add(entry.FullName);
            }
        }
        files.Sort(StringComparer.Ordinal);
        return files;
    }
}

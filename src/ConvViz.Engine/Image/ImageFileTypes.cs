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

    /// <summary>The image files of a folder, in ordinal order; subfolders too when recursive.</summary>
    public static IEnumerable<string> InDirectory(string directory, bool recurse)
        => Directory.EnumerateFiles(directory, "*", new EnumerationOptions
            {
                RecurseSubdirectories = recurse,
                IgnoreInaccessible = true,
                AttributesToSkip = FileAttributes.Hidden | FileAttributes.System,
                MatchType = MatchType.Simple,
            })
            .Where(IsImageFile)
            .OrderBy(p => p, StringComparer.Ordinal);
}

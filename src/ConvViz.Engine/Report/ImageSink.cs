using System;
using System.IO;
using System.Threading;

namespace ConvViz.Engine.Report;

/// <summary>
/// Where the report's pictures go: data: URIs inside the HTML, or numbered files in a folder
/// beside it (referenced by relative URL), for large runs.
/// </summary>
public sealed class ImageSink
{
    private readonly string? _folder;
    private readonly string? _href;
    private int _count;

    private ImageSink(string? folder, string? href) { _folder = folder; _href = href; }

    public static ImageSink Inline() => new(null, null);

    /// <summary>Files in <paramref name="folder"/>, referenced as <paramref name="href"/>/name. Earlier
    /// pictures of a report (i*.jpg, i*.png) are removed first; nothing else in the folder is touched.</summary>
    public static ImageSink Files(string folder, string href)
    {
        Directory.CreateDirectory(folder);
        foreach (var old in Directory.EnumerateFiles(folder, "i*.*"))
            if (Path.GetExtension(old) is ".jpg" or ".png") File.Delete(old);
        return new ImageSink(folder, href);
    }

    public bool External => _folder is not null;

    /// <summary>Pictures written so far (files mode).</summary>
    public int Count => _count;

    /// <summary>The URL an &lt;img src&gt; or CSS url() takes for these bytes.</summary>
    public string Add(byte[] bytes, bool jpeg)
    {
        if (_folder is null) return HtmlText.DataUri(jpeg ? "image/jpeg" : "image/png", bytes);
        int n = Interlocked.Increment(ref _count);
        string name = $"i{n:D6}.{(jpeg ? "jpg" : "png")}";
        File.WriteAllBytes(Path.Combine(_folder, name), bytes);
        return $"{Uri.EscapeDataString(_href!)}/{name}";
    }
}

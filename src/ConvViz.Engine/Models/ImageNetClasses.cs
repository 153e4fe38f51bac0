using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace ConvViz.Engine.Models;

/// <summary>
/// The 1000 ImageNet class names, read from imagenet_classes.txt in the model store (the
/// build extracts them from Debian's python3-torchvision). Null when the file is absent.
/// </summary>
public static class ImageNetClasses
{
    private static readonly Lazy<IReadOnlyList<string>?> Lazy = new(Load);

    public static IReadOnlyList<string>? Names => Lazy.Value;

    private static IReadOnlyList<string>? Load()
    {
        var path = ModelStore.Find("imagenet_classes.txt");
        if (path is null) return null;
        var names = File.ReadAllLines(path).Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
        return names.Count == 1000 ? names : null;
    }
}

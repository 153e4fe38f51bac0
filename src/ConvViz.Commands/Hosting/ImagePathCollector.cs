using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using ConvViz.Engine.Image;

namespace ConvViz.Commands.Hosting;

/// <summary>
/// Gathers image files from -Path (wildcards), -LiteralPath and the pipeline. A folder
/// stands for the image files in it (and below it with -Recurse); a folder whose name looks
/// like an image file is kept, so the scan reports it as a folder passed as a file.
/// </summary>
internal sealed class ImagePathCollector
{
    private readonly PSCmdlet _cmdlet;
    private readonly List<string> _files = new();
    private readonly HashSet<string> _seen = new(System.StringComparer.Ordinal);

    public ImagePathCollector(PSCmdlet cmdlet) => _cmdlet = cmdlet;

    public IReadOnlyList<string> Files => _files;

    public void Add(string[]? paths, bool literal, bool recurse)
    {
        if (paths is null) return;
        foreach (var p in paths)
        {
            if (string.IsNullOrEmpty(p)) continue;
            if (literal || !WildcardPattern.ContainsWildcardCharacters(p))
            {
                var full = _cmdlet.GetUnresolvedProviderPathFromPSPath(p);
                if (!File.Exists(full) && !Directory.Exists(full))
                {
                    _cmdlet.WriteError(new ErrorRecord(new ItemNotFoundException($"Cannot find path '{full}' because it does not exist."),
                        "PathNotFound", ErrorCategory.ObjectNotFound, p));
                    continue;
                }
                AddOne(full, recurse);
                continue;
            }
            System.Collections.ObjectModel.Collection<string> resolved;
            try { resolved = _cmdlet.GetResolvedProviderPathFromPSPath(p, out _); }
            catch (ItemNotFoundException e)
            {
                _cmdlet.WriteError(new ErrorRecord(e, "PathNotFound", ErrorCategory.ObjectNotFound, p));
                continue;
            }
            foreach (var r in resolved) AddOne(r, recurse);
        }
    }

    private void AddOne(string full, bool recurse)
    {
        if (Directory.Exists(full) && !ImageFileTypes.IsImageFile(full))
        {
            foreach (var f in ImageFileTypes.InDirectory(full, recurse)) Keep(f);
            return;
        }
        Keep(full);
    }

    private void Keep(string file)
    {
        if (_seen.Add(file)) _files.Add(file);
    }
}

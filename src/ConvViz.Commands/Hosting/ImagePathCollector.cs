using System.Collections.Generic;
using System.Linq;
using System.IO;
using System.Management.Automation;
using ConvViz.Engine.Image;
using ConvViz.Engine.Runtime;

namespace ConvViz.Commands.Hosting;

/// <summary>
/// Gathers image files from -Path (wildcards), -LiteralPath and the pipeline. A folder
/// stands for the image files in it (and below it with -Recurse); a folder whose name looks
/// like an image file is kept, so the scan reports it as a folder passed as a file. Every real
/// folder is walked once and every file counted once, however many links lead to it.
/// </summary>
internal sealed class ImagePathCollector
{
    private readonly PSCmdlet _cmdlet;
    private readonly List<(string Path, string Identity)> _kept = new();
    private readonly HashSet<string> _seen = new(System.StringComparer.Ordinal);
    private List<string>? _files;

    public ImagePathCollector(PSCmdlet cmdlet) => _cmdlet = cmdlet;

    /// <summary>
    /// Every file once. Paths that name the same file (links to it, a folder reached through a
    /// link) count once, under the path that is the file's own when there is one: an image
    /// counted twice would take two places in a unit's top-k. The others are reported verbosely.
    /// </summary>
    public IReadOnlyList<string> Files
    {
        get
        {
            if (_files is not null) return _files;
            _files = new List<string>(_kept.Count);
            foreach (var group in _kept.GroupBy(k => k.Identity, System.StringComparer.Ordinal))
            {
                var paths = group.Select(g => g.Path).OrderBy(p => p, System.StringComparer.Ordinal).ToList();
                var keep = paths.Contains(group.Key, System.StringComparer.Ordinal) ? group.Key : paths[0];
                _files.Add(keep);
                foreach (var other in paths.Where(p => p != keep))
                    _cmdlet.WriteVerbose($"'{other}' is the same file as '{keep}' (a link); it is counted once.");
            }
            return _files;
        }
    }

    public void Add(string[]? paths, bool literal, bool recurse)
    {
        if (paths is null) return;
        _files = null;
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
            foreach (var f in ImageFileTypes.InDirectory(full, recurse, (link, real) =>
                _cmdlet.WriteVerbose($"'{link}' leads to folder '{real}', which is already listed (a link loop or a second link); it is not entered again.")))
                Keep(f);
            return;
        }
        Keep(full);
    }

    private void Keep(string file)
    {
        if (_seen.Add(file)) _kept.Add((file, FileKind.RealPath(file) ?? file));
    }
}

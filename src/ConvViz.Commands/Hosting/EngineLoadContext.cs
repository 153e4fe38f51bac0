using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;

namespace ConvViz.Commands.Hosting;

/// <summary>
/// The load context of the engine and everything it depends on (TorchSharp, ImageSharp,
/// protobuf and the native libraries), so that none of them can clash with assemblies
/// that pwsh or other modules load. Framework assemblies still come from the default context.
/// </summary>
internal sealed class EngineLoadContext : AssemblyLoadContext
{
    private static readonly string FrameworkDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
    private readonly List<string> _directories = new();
    private readonly object _gate = new();

    public EngineLoadContext(string dependencyDirectory) : base("ConvViz.Engine", isCollectible: false)
    {
        _directories.Add(dependencyDirectory);
    }

    public IReadOnlyList<string> Directories { get { lock (_gate) return _directories.ToList(); } }

    /// <summary>Loads an extra assembly (a test kit, a plug-in) here, probing its folder for its own dependencies.</summary>
    public Assembly LoadExtension(string path)
    {
        var full = Path.GetFullPath(path);
        if (!File.Exists(full)) throw new FileNotFoundException($"No assembly at '{full}'.", full);
        var dir = Path.GetDirectoryName(full)!;
        lock (_gate) if (!_directories.Contains(dir)) _directories.Add(dir);
        var name = AssemblyName.GetAssemblyName(full);
        return Assemblies.FirstOrDefault(a => AssemblyName.ReferenceMatchesDefinition(a.GetName(), name)) ?? LoadFromAssemblyPath(full);
    }

    protected override Assembly? Load(AssemblyName name)
    {
        if (File.Exists(Path.Combine(FrameworkDirectory, name.Name + ".dll"))) return null;
        foreach (var dir in Directories)
        {
            var candidate = Path.Combine(dir, name.Name + ".dll");
            if (File.Exists(candidate)) return LoadFromAssemblyPath(candidate);
        }
        return null;
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        foreach (var dir in Directories)
            foreach (var file in NativeFileNames(unmanagedDllName))
            {
                var candidate = Path.Combine(dir, file);
                if (File.Exists(candidate)) return LoadUnmanagedDllFromPath(candidate);
            }
        return IntPtr.Zero;
    }

    // DllImport names come bare ("LibTorchSharp") or with a prefix/extension.
    private static IEnumerable<string> NativeFileNames(string name)
    {
        yield return name;
        if (Path.HasExtension(name) && !name.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) && !name.Contains(".so")) yield break;
        if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows)) { yield return name + ".dll"; yield break; }
        var ext = RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? ".dylib" : ".so";
        yield return name + ext;
        if (!name.StartsWith("lib", StringComparison.Ordinal)) { yield return "lib" + name + ext; yield return "lib" + name; }
    }
}

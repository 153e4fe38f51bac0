using System;
using System.IO;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;

namespace ConvViz.Commands;

/// <summary>
/// Wires the engine's load context into pwsh: when the default context fails to find
/// ConvViz.Engine (it is not beside this assembly on purpose), the engine is loaded from
/// Dependencies/ into <see cref="Hosting.EngineLoadContext"/>, and so are its dependencies.
/// </summary>
public static class EngineHost
{
    private static readonly object Gate = new();
    private static Hosting.EngineLoadContext? _context;
    private static bool _registered;

    /// <summary>The folder that holds the engine, its managed dependencies and the native libraries.</summary>
    public static string DependencyDirectory
        => Path.Combine(Path.GetDirectoryName(typeof(EngineHost).Assembly.Location)!, "Dependencies");

    internal static Hosting.EngineLoadContext Context
    {
        get
        {
            lock (Gate) return _context ??= new Hosting.EngineLoadContext(DependencyDirectory);
        }
    }

    internal static void Register()
    {
        lock (Gate)
        {
            if (_registered) return;
            AssemblyLoadContext.Default.Resolving += ResolveEngine;
            _registered = true;
        }
    }

    internal static void Unregister()
    {
        lock (Gate)
        {
            if (!_registered) return;
            AssemblyLoadContext.Default.Resolving -= ResolveEngine;
            _registered = false;
        }
    }

    /// <summary>
    /// Loads an extra assembly (for example the test kit) into the engine's load context so
    /// it shares the engine's types with the cmdlets. Returns the loaded assembly.
    /// </summary>
    public static Assembly LoadExtension(string path) => Context.LoadExtension(path);

    // Only the engine is redirected; everything else the default context cannot find stays unfound.
    private static Assembly? ResolveEngine(AssemblyLoadContext context, AssemblyName name)
    {
        if (!string.Equals(name.Name, "ConvViz.Engine", StringComparison.Ordinal)) return null;
        return Context.LoadFromAssemblyName(name);
    }

    // Runs before any code of this assembly, in case a type is touched before OnImport.
#pragma warning disable CA2255 // a library module initializer is exactly what is wanted here
    [ModuleInitializer]
    internal static void Initialize() => Register();
#pragma warning restore CA2255
}

using System.Management.Automation;

namespace ConvViz.Commands.Hosting;

/// <summary>Registers the engine resolver when the module is imported and removes it when it is removed.</summary>
public sealed class ModuleLifetime : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    public void OnImport() => EngineHost.Register();

    public void OnRemove(PSModuleInfo module) => EngineHost.Unregister();
}

using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace ConvViz.Commands.Completion;

/// <summary>
/// Completes -Device with the devices this build can use: auto and cpu always; cuda only when
/// the module carries a CUDA libtorch (libtorch_cuda / torch_cuda.dll in Dependencies). The
/// check looks at files, so completion never loads libtorch.
/// </summary>
public sealed class DeviceCompleter : IArgumentCompleter
{
    private static readonly Lazy<string[]> Names = new(() =>
    {
        var deps = EngineHost.DependencyDirectory;
        var cuda = Directory.Exists(deps) && Directory.EnumerateFiles(deps, "*torch_cuda*").Any();
        return cuda ? new[] { "auto", "cpu", "cuda", "cuda:0" } : new[] { "auto", "cpu" };
    });

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
        => Names.Value.Where(n => n.StartsWith(wordToComplete.Trim('\'', '"'), StringComparison.OrdinalIgnoreCase))
            .Select(n => new CompletionResult(n, n, CompletionResultType.ParameterValue, n));
}

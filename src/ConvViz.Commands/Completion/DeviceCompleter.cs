using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace ConvViz.Commands.Completion;

/// <summary>Completes -Device with the names the engine understands.</summary>
public sealed class DeviceCompleter : IArgumentCompleter
{
    private static readonly string[] Names = { "auto", "cpu", "cuda", "cuda:0", "cuda:1" };

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
        => Names.Where(n => n.StartsWith(wordToComplete, System.StringComparison.OrdinalIgnoreCase))
            .Select(n => new CompletionResult(n, n, CompletionResultType.ParameterValue, n));
}

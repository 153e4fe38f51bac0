using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace ConvViz.Commands.Completion;

/// <summary>
/// Completes -Layer with the layer names of the model on the command line (bound, piped or the
/// default), from cached layer tables: never builds a model (CompletionModel, LayerTables).
/// </summary>
public sealed class LayerNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var table = CompletionModel.Table(commandAst, fakeBoundParameters);
        if (table is null) yield break;
        var word = wordToComplete.Trim('\'', '"');
        var pattern = WildcardPattern.Get(word + "*", WildcardOptions.IgnoreCase);
        foreach (var layer in table.Layers)
        {
            var name = pattern.IsMatch(layer.Name) ? layer.Name : layer.Aliases.FirstOrDefault(pattern.IsMatch);
            if (name is null) continue;
            yield return new CompletionResult(name, name, CompletionResultType.ParameterValue, $"{layer.Kind} {name}");
        }
    }
}

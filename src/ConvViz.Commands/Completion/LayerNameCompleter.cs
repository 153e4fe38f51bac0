using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using ConvViz.Commands.Hosting;

namespace ConvViz.Commands.Completion;

/// <summary>Completes -Layer with the layer names of the -Model already on the command line (or the default model).</summary>
public sealed class LayerNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var model = ModelFrom(fakeBoundParameters["Model"]);
        if (model is null) yield break;
        var word = wordToComplete.Trim('\'', '"');
        var pattern = WildcardPattern.Get(word + "*", WildcardOptions.IgnoreCase);
        foreach (var layer in model.Engine.Layers.All.Concat(model.Engine.Layers.Modules))
        {
            if (!pattern.IsMatch(layer.Name) && !layer.Aliases.Any(pattern.IsMatch)) continue;
            var name = pattern.IsMatch(layer.Name) ? layer.Name : layer.Aliases.First(pattern.IsMatch);
            yield return new CompletionResult(name, name, CompletionResultType.ParameterValue, $"{layer.Kind} {name}");
        }
    }

    private static Model? ModelFrom(object? bound)
    {
        var value = bound is PSObject pso ? pso.BaseObject : bound;
        try
        {
            return value switch
            {
                Model m => m,
                string s => ModelCatalog.Get(s),
                null => ModelCatalog.Get(ModelCatalog.DefaultName),
                _ => null,
            };
        }
        catch { return null; } // completion must never throw at the prompt
    }
}

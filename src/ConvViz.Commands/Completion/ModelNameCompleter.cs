using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace ConvViz.Commands.Completion;

/// <summary>Completes -Model with the built-in model names (resnet18 is the embedded pretrained network).</summary>
public sealed class ModelNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var word = wordToComplete.Trim('\'', '"');
        foreach (var name in LayerTables.ModelNames.OrderBy(n => n, StringComparer.Ordinal))
        {
            if (!name.StartsWith(word, StringComparison.OrdinalIgnoreCase)) continue;
            var tip = name == Hosting.ModelCatalog.DefaultName ? $"{name}: the embedded ImageNet-trained network" : $"{name}: built-in architecture, random weights (seed 0)";
            yield return new CompletionResult(name, name, CompletionResultType.ParameterValue, tip);
        }
    }
}

/// <summary>Completes a model file path (-Path of Import-ConvModel): folders and .onnx, .pth, .pt, .safetensors files.</summary>
public sealed class ModelFileCompleter : IArgumentCompleter
{
    private static readonly string[] Extensions = { ".onnx", ".pth", ".pt", ".safetensors" };

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var results = CompletionCompleters.CompleteFilename(wordToComplete);
        return results.Where(r => r.ResultType == CompletionResultType.ProviderContainer
            || Extensions.Any(e => r.ListItemText.EndsWith(e, StringComparison.OrdinalIgnoreCase)));
    }
}

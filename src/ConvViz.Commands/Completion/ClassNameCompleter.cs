using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace ConvViz.Commands.Completion;

/// <summary>
/// Completes -Class with class names when the model on the command line is a classifier (the
/// built-in 1000-class architectures use ImageNet's names, models/imagenet_classes.txt); the
/// pretrained ResNet-18 is a feature extractor and gets none.
/// </summary>
public sealed class ClassNameCompleter : IArgumentCompleter
{
    private static readonly Lazy<string[]> ImageNet = new(() =>
    {
        var file = Path.Combine(Path.GetDirectoryName(typeof(ClassNameCompleter).Assembly.Location)!, "models", "imagenet_classes.txt");
        return File.Exists(file) ? File.ReadAllLines(file).Where(l => l.Length > 0).ToArray() : Array.Empty<string>();
    });

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var table = CompletionModel.Table(commandAst, fakeBoundParameters);
        if (table is null || !table.Classifier) yield break;
        var bound = fakeBoundParameters["Model"] is PSObject pso ? pso.BaseObject : fakeBoundParameters["Model"];
        IReadOnlyList<string> names = bound is Model m && m.Engine.ClassNames is { } own ? own : ImageNet.Value;
        var word = wordToComplete.Trim('\'', '"');
        foreach (var name in names)
        {
            if (name.IndexOf(word, StringComparison.OrdinalIgnoreCase) < 0) continue;
            var text = name.IndexOfAny(new[] { ' ', '\'', ',', '(', ')' }) >= 0 ? $"'{name.Replace("'", "''")}'" : name;
            yield return new CompletionResult(text, name, CompletionResultType.ParameterValue, name);
        }
    }
}

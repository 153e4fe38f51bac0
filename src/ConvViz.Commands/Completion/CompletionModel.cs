using System;
using System.Collections;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using ConvViz.Commands.Hosting;

namespace ConvViz.Commands.Completion;

/// <summary>
/// Which model a command line is about, for completers, without building one: -Model as bound
/// (a model object, a variable holding one, or a built-in name), else the command that pipes
/// into this one (a variable holding a model, or Import-ConvModel with its arguments), else
/// the default model.
/// </summary>
internal static class CompletionModel
{
    public static LayerTable? Table(CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        try
        {
            if (fakeBoundParameters.Contains("Model")) return FromValue(fakeBoundParameters["Model"]);
            var modelArgument = ArgumentOf(commandAst, "Model");
            if (modelArgument is not null) return FromExpression(modelArgument);
            if (commandAst.Parent is PipelineAst pipeline)
            {
                var index = pipeline.PipelineElements.IndexOf(commandAst);
                if (index > 0) return FromUpstream(pipeline.PipelineElements[index - 1]);
            }
            return LayerTables.ForName(ModelCatalog.DefaultName);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return null; // completion must never throw at the prompt
        }
    }

    private static LayerTable? FromValue(object? value) => (value is PSObject pso ? pso.BaseObject : value) switch
    {
        Model m => LayerTable.From(m),
        string s => LayerTables.ForName(s),
        object[] { Length: 1 } one => FromValue(one[0]),
        _ => null,
    };

    private static LayerTable? FromExpression(Ast ast) => ast switch
    {
        VariableExpressionAst v => FromValue(VariableValue(v)),
        StringConstantExpressionAst s => LayerTables.ForName(s.Value),
        CommandExpressionAst c => FromExpression(c.Expression),
        ParenExpressionAst { Pipeline: PipelineAst p } when p.PipelineElements.Count == 1 => FromUpstream(p.PipelineElements[0]),
        _ => null,
    };

    private static LayerTable? FromUpstream(CommandBaseAst element)
    {
        if (element is CommandExpressionAst expression) return FromExpression(expression.Expression);
        if (element is not CommandAst command) return null;
        var name = command.GetCommandName();
        if (!string.Equals(name, "Import-ConvModel", StringComparison.OrdinalIgnoreCase)) return null;
        var architecture = Constant(ArgumentOf(command, "Architecture"));
        var file = Constant(ArgumentOf(command, "Path")) ?? Constant(ArgumentOf(command, "LiteralPath"));
        if (file is not null)
        {
            var full = Path.GetFullPath(file, CurrentDirectory());
            return LayerTables.ForFile(full) ?? (architecture is not null ? LayerTables.ForArchitecture(architecture) : null);
        }
        if (architecture is not null) return LayerTables.ForArchitecture(architecture);
        // Import-ConvModel [-Name] resnet18, or with no argument: the catalog's model.
        var positional = command.CommandElements.Skip(1).OfType<StringConstantExpressionAst>().FirstOrDefault();
        return LayerTables.ForName(Constant(ArgumentOf(command, "Name")) ?? positional?.Value ?? ModelCatalog.DefaultName);
    }

    /// <summary>The argument after -name (or an unambiguous prefix of it) in a command's elements.</summary>
    private static Ast? ArgumentOf(CommandAst command, string parameter)
    {
        var elements = command.CommandElements;
        for (var i = 1; i < elements.Count; i++)
        {
            if (elements[i] is not CommandParameterAst p) continue;
            if (!parameter.StartsWith(p.ParameterName, StringComparison.OrdinalIgnoreCase) || p.ParameterName.Length < 2) continue;
            if (p.Argument is not null) return p.Argument;
            if (i + 1 < elements.Count && elements[i + 1] is not CommandParameterAst) return elements[i + 1];
        }
        return null;
    }

    private static string? Constant(Ast? ast) => ast switch
    {
        StringConstantExpressionAst s => s.Value,
        ExpandableStringExpressionAst e when e.NestedExpressions.Count == 0 => e.Value,
        _ => null,
    };

    private static object? VariableValue(VariableExpressionAst variable)
    {
        if (variable.Splatted) return null;
        // The completer runs on the prompt's thread, so this reads the user's session; a bare
        // variable reference has no side effects.
        var values = ScriptBlock.Create(variable.Extent.Text).Invoke();
        return values.Count == 1 ? values[0] : null;
    }

    private static string CurrentDirectory()
    {
        var values = ScriptBlock.Create("$PWD.ProviderPath").Invoke();
        return values.Count == 1 && values[0]?.BaseObject is string s ? s : Environment.CurrentDirectory;
    }
}

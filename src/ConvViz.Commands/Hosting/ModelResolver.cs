using System;
using System.Text.RegularExpressions;

namespace ConvViz.Commands.Hosting;

/// <summary>A record's weights differ from the model it would be computed with, or no such model is at hand.</summary>
internal sealed class ModelMismatchException : ArgumentException
{
    public ModelMismatchException(string message, string errorId = "ModelMismatch") : base(message) { ErrorId = errorId; }

    /// <summary>ModelMismatch (weights differ, or none loaded has them) or ModelRequired (the record names no weights).</summary>
    public string ErrorId { get; }
}

/// <summary>
/// Which model a record is projected through: the one given (only if its weights are the
/// record's), the record's own, or a model of this session with the record's weights. Never a
/// model that merely has the same name: a scan of seeded, .pth or ONNX weights must not be
/// projected through the built-in seed-0 weights.
/// </summary>
internal static class ModelResolver
{
    public static Model For(string modelName, string modelSource, string weightsSha256, Model? given, Model? own, string what)
    {
        if (given is not null)
        {
            if (weightsSha256.Length > 0 && !string.Equals(given.WeightsSha256, weightsSha256, StringComparison.OrdinalIgnoreCase))
                throw new ModelMismatchException(
                    $"{what} was computed with the weights {Short(weightsSha256)} of model '{modelName}' ({modelSource}), but -Model '{given.Name}' ({given.Source}) has the weights {Short(given.WeightsSha256)}. Pass the model the records came from: {Hint(modelName, modelSource)}.");
            return given;
        }
        if (weightsSha256.Length == 0)
        {
            if (own is not null) return own;
            throw new ModelMismatchException(
                $"{what} does not say which weights it came from (no WeightsSha256) and carries no model; pass the model it was computed with, with -Model.", errorId: "ModelRequired");
        }
        if (own is not null && string.Equals(own.WeightsSha256, weightsSha256, StringComparison.OrdinalIgnoreCase)) return own;
        var found = ModelCatalog.FindByWeights(modelName, weightsSha256.ToLowerInvariant());
        if (found is not null) return found;
        var builtIn = ModelCatalog.IsBuiltInName(modelName) ? $" (the built-in '{modelName}' has other weights)" : "";
        throw new ModelMismatchException(
            $"{what} was computed with the weights {Short(weightsSha256)} of model '{modelName}' ({modelSource}), and no model with those weights is loaded in this session{builtIn}. Pass it with -Model: {Hint(modelName, modelSource)}.");
    }

    public static Model For(Activation a, Model? given, string what = "")
        => For(a.ModelName, a.ModelSource, a.WeightsSha256, given, a.Model, what.Length > 0 ? what : $"Activation '{a}'");

    private static string Short(string sha) => sha.Length > 12 ? sha[..12] : sha;

    /// <summary>How to get the model back from its source description.</summary>
    internal static string Hint(string name, string source)
    {
        var seeded = Regex.Match(source, @"^architecture:(\w+) \(random, seed (-?\d+)\)");
        if (seeded.Success) return $"-Model (Import-ConvModel -Architecture {seeded.Groups[1].Value} -Seed {seeded.Groups[2].Value})";
        if (source.StartsWith("pretrained:", StringComparison.Ordinal)) return $"-Model {name}";
        var file = Regex.Match(source, @"^(.+?) \(state dict for (\w+)\)$");
        if (file.Success) return $"-Model '{file.Groups[1].Value}' (or Import-ConvModel -Path '{file.Groups[1].Value}' -Architecture {file.Groups[2].Value})";
        if (source.Length > 0 && !source.Contains(" + ", StringComparison.Ordinal)) return $"-Model '{source}' (the model file), or the model object from Import-ConvModel";
        return "the model object from Import-ConvModel that the scan used";
    }
}

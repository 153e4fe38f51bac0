using System;
using System.IO;
using System.Management.Automation;

namespace ConvViz.Commands.Hosting;

/// <summary>
/// Lets -Model take a ConvViz.Model, a built-in name or the
/// path of a model file (ONNX, or a state dict for a built-in architecture).
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class ModelArgumentAttribute : ArgumentTransformationAttribute
{
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        var value = inputData is PSObject pso ? pso.BaseObject : inputData;
        return value switch
        {
            Model m => m,
            string s when ModelCatalog.IsBuiltInName(s) => ModelCatalog.Get(s),
            string s => FromPath(engineIntrinsics, s),
            FileInfo f => FromPath(engineIntrinsics, f.FullName),
            Engine.Models.ConvModel engine => new Model(engine), // from extensions and the test kit
            null => throw new ArgumentTransformationMetadataException("No model given."),
            _ => throw new ArgumentTransformationMetadataException(
                $"Cannot use a {value.GetType().Name} as a model. Pass a ConvViz.Model from Import-ConvModel, a built-in name or a model file path."),
        };
    }

    private static Model FromPath(EngineIntrinsics engine, string text)
    {
        string path;
        try { path = engine.SessionState.Path.GetUnresolvedProviderPathFromPSPath(text); }
        catch (Exception e) { throw new ArgumentTransformationMetadataException($"'{text}' is neither a built-in model ({string.Join(", ", Engine.Models.BuiltInArchitectures.Names)}) nor a model file: {e.Message}", e); }
        if (!File.Exists(path))
            throw new ArgumentTransformationMetadataException($"'{text}' is neither a built-in model ({string.Join(", ", Engine.Models.BuiltInArchitectures.Names)}) nor an existing model file.");
        try { return ModelCatalog.FromFile(path); }
        catch (Exception e) { throw new ArgumentTransformationMetadataException($"Cannot load the model file '{path}': {e.Message}", e); }
    }
}

using System;
using System.Management.Automation;

namespace ConvViz.Commands.Hosting;

/// <summary>Lets -Model take a ConvViz.Model, a built-in name or the path of an ONNX file (./my.onnx).</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class ModelArgumentAttribute : ArgumentTransformationAttribute
{
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        var value = inputData is PSObject pso ? pso.BaseObject : inputData;
        return value switch
        {
            Model m => m,
            string s when ModelCatalog.IsPath(s) => ModelCatalog.GetFile(engineIntrinsics.SessionState.Path.GetUnresolvedProviderPathFromPSPath(s)),
            string s => ModelCatalog.Get(s),
            Engine.Models.ConvModel engine => new Model(engine), // from extensions and the test kit
            null => throw new ArgumentTransformationMetadataException("No model given."),
            _ => throw new ArgumentTransformationMetadataException(
                $"Cannot use a {value.GetType().Name} as a model. Pass a ConvViz.Model from Import-ConvModel, the path of an ONNX file or a built-in name ({string.Join(", ", Engine.Models.BuiltInArchitectures.Names)})."),
        };
    }
}

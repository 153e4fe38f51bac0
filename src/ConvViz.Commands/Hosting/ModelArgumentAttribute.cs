using System;
using System.Management.Automation;

namespace ConvViz.Commands.Hosting;

/// <summary>Lets -Model take a ConvViz.Model or a built-in name.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class ModelArgumentAttribute : ArgumentTransformationAttribute
{
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        var value = inputData is PSObject pso ? pso.BaseObject : inputData;
        return value switch
        {
            Model m => m,
            string s => ModelCatalog.Get(s),
            Engine.Models.ConvModel engine => new Model(engine), // from extensions and the test kit
            null => throw new ArgumentTransformationMetadataException("No model given."),
            _ => throw new ArgumentTransformationMetadataException(
                $"Cannot use a {value.GetType().Name} as a model. Pass a ConvViz.Model from Import-ConvModel or a built-in name (resnet18, zfnet, alexnet, vgg16)."),
        };
    }
}

using System;
using System.Collections.Generic;
using System.Linq;
using ConvViz.Engine.Import;

namespace ConvViz.Engine.Models;

/// <summary>
/// The pretrained models that ship with ConvViz. "resnet18" is the ImageNet ResNet-18
/// feature extractor of NuGet package Microsoft.ML.DnnImageFeaturizer.ResNet18 0.23.1 (a
/// CNTK 2.6 export, opset 8), with the package's own preprocessing graph (RGB to BGR, minus
/// the mean image) imported in front of it, so the model takes raw RGB 0..255 at 224x224
/// and projections come back in RGB pixels. Both graphs go through the general importer.
/// </summary>
public static class Pretrained
{
    public const string ResNet18Preprocess = "ResNetPreprocess.onnx";
    public const string ResNet18Network = "ResNet18.onnx";

    private static readonly Dictionary<string, Func<ConvModel>> Factories = new(StringComparer.OrdinalIgnoreCase)
    {
        ["resnet18"] = ResNet18,
    };

    public static IReadOnlyList<string> Names => Factories.Keys.ToList();

    /// <summary>The files a pretrained model needs (for the build and for error messages).</summary>
    public static IReadOnlyList<string> FilesOf(string name) => name.ToLowerInvariant() switch
    {
        "resnet18" => new[] { ResNet18Preprocess, ResNet18Network },
        _ => throw Unknown(name),
    };

    public static ConvModel Create(string name)
        => Factories.TryGetValue(name, out var create) ? create() : throw Unknown(name);

    private static ArgumentException Unknown(string name)
    {
        var near = NameMatch.Nearest(name, Factories.Keys);
        var hint = near.Count > 0 ? $" Did you mean {string.Join(" or ", near)}?" : "";
        return new ArgumentException($"Unknown pretrained model '{name}'.{hint} Available: {string.Join(", ", Factories.Keys)}.");
    }

    private static ConvModel ResNet18()
    {
        var files = new[] { ModelStore.Require(ResNet18Preprocess), ModelStore.Require(ResNet18Network) };
        return OnnxImporter.ImportChain(files, new OnnxImportOptions
        {
            Name = "resnet18",
            Source = $"pretrained:resnet18 (Microsoft.ML.DnnImageFeaturizer.ResNet18 {ModelStore.ResNet18Version})",
            Width = 224, Height = 224, PixelMax = 255f, Resize = ResizeMode.Stretch, ConventionInGraph = true,
            Output = ModelOutputKind.Features,
        });
    }
}

using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace ConvViz.Engine.Models;

/// <summary>
/// Finds the files that ship with ConvViz (the pretrained ONNX graphs, ImageNet class names).
/// Looks in CONVVIZ_MODELS, then in the module's models folder beside the engine, then in
/// the NuGet packages folder the build restored them into. Never downloads.
/// </summary>
public static class ModelStore
{
    public const string ResNet18Package = "microsoft.ml.dnnimagefeaturizer.resnet18";
    public const string ResNet18Version = "0.23.1";

    public static IEnumerable<string> SearchDirectories()
    {
        var env = Environment.GetEnvironmentVariable("CONVVIZ_MODELS");
        if (!string.IsNullOrEmpty(env)) yield return env;
        var here = Path.GetDirectoryName(typeof(ModelStore).Assembly.Location) ?? ".";
        yield return Path.Combine(here, "..", "models");
        yield return Path.Combine(here, "models");
        var nuget = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        yield return Path.Combine(nuget, ResNet18Package, ResNet18Version, "tools", "DnnImageModels", "ResNet18Onnx");
        yield return Path.Combine(nuget, ResNet18Package, ResNet18Version, "tools", "DnnImageModels", "ResNetPrepOnnx");
    }

    public static string? Find(string fileName)
        => SearchDirectories().Select(d => Path.Combine(d, fileName)).FirstOrDefault(File.Exists) is { } p ? Path.GetFullPath(p) : null;

    public static string Require(string fileName)
        => Find(fileName) ?? throw new FileNotFoundException(
            $"ConvViz cannot find '{fileName}'. It ships in the module's models folder (built by ./build.ps1) or comes from NuGet package {ResNet18Package} {ResNet18Version}; set CONVVIZ_MODELS to a folder that holds it.", fileName);
}

using System;
using System.IO;
using System.Management.Automation;
using ConvViz.Commands.Hosting;
using ConvViz.Engine.Models;

namespace ConvViz.Commands.Cmdlets;

/// <summary>
/// Loads a network: the embedded pretrained ResNet-18, a built-in architecture with random
/// weights, an ONNX file, or a PyTorch state dict for a built-in architecture.
/// </summary>
[Cmdlet(VerbsData.Import, "ConvModel", DefaultParameterSetName = NameSet)]
[OutputType(typeof(Model))]
public sealed class ImportConvModelCommand : ConvVizCmdlet
{
    private const string NameSet = "Name";
    private const string ArchitectureSet = "Architecture";
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";

    [Parameter(ParameterSetName = NameSet, Position = 0)]
    [ValidateSet("resnet18", IgnoreCase = true)]
    public string Name { get; set; } = ModelCatalog.DefaultName;

    [Parameter(ParameterSetName = ArchitectureSet, Mandatory = true)]
    [Parameter(ParameterSetName = PathSet)]
    [Parameter(ParameterSetName = LiteralPathSet)]
    [ValidateSet("zfnet", "alexnet", "vgg11", "vgg11_bn", "vgg13", "vgg13_bn", "vgg16", "vgg16_bn", "vgg19", "vgg19_bn",
        "resnet18", "resnet34", "resnet50", "resnet101", "resnet152", IgnoreCase = true)]
    public string? Architecture { get; set; }

    [Parameter(ParameterSetName = ArchitectureSet)]
    public long Seed { get; set; }

    [Parameter(ParameterSetName = PathSet, Mandatory = true, Position = 0)]
    [SupportsWildcards]
    public string? Path { get; set; }

    [Parameter(ParameterSetName = LiteralPathSet, Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "FullName")]
    public string? LiteralPath { get; set; }

    [Parameter]
    [ArgumentCompleter(typeof(Completion.DeviceCompleter))]
    public string Device { get; set; } = "auto";

    protected override void ProcessRecord()
    {
        try
        {
            var model = ParameterSetName switch
            {
                ArchitectureSet => new Model(BuiltInArchitectures.Create(Architecture!, Seed)),
                NameSet => ModelCatalog.Get(Name),
                _ => ImportFile(),
            };
            model.Engine.To(Device);
            WriteObject(model);
        }
        catch (Exception e) when (e is not PipelineStoppedException)
        {
            Fail(e, ErrorIdFor(e), (object?)Path ?? LiteralPath ?? Architecture ?? Name);
        }
    }

    private Model ImportFile()
    {
        var file = ParameterSetName == PathSet
            ? SingleFile(GetResolvedProviderPathFromPSPath(Path!, out _))
            : GetUnresolvedProviderPathFromPSPath(LiteralPath!);
        if (!File.Exists(file)) throw new FileNotFoundException($"Model file '{file}' does not exist.", file);
        // An architecture with a file is a PyTorch state dict for it; otherwise the file is ONNX.
        if (Architecture is not null)
        {
            var built = BuiltInArchitectures.Create(Architecture, 0);
            try
            {
                var origin = ConvViz.Engine.Import.StateDict.Load(built, file);
                foreach (var note in origin.Notes()) WriteVerbose(note);
            }
            catch { built.Dispose(); throw; }
            return new Model(built);
        }
        if (ConvViz.Engine.Import.ArchitectureRequiredException.IsPyTorchFile(file))
            throw new ConvViz.Engine.Import.ArchitectureRequiredException(file, ConvViz.Engine.Import.StateDict.Identify(file));
        return new Model(ConvViz.Engine.Import.NoConvolutionException.Require(ConvViz.Engine.Import.OnnxImporter.Import(file), file));
    }

    private string SingleFile(System.Collections.ObjectModel.Collection<string> paths)
        => paths.Count == 1 ? paths[0] : throw new ArgumentException($"'{Path}' matches {paths.Count} files; Import-ConvModel takes one.");

    private static string ErrorIdFor(Exception e) => e switch
    {
        FileNotFoundException => "ModelFileNotFound",
        ArgumentException when e.Message.StartsWith("Unknown architecture", StringComparison.Ordinal) => "UnknownArchitecture",
        ArgumentException when e.Message.StartsWith("Unknown device", StringComparison.Ordinal) || e.Message.Contains("CUDA") => "DeviceUnavailable",
        ConvViz.Engine.Import.StateDictMismatchException => "StateDictMismatch",
        ConvViz.Engine.Import.ArchitectureRequiredException => "ArchitectureRequired",
        ConvViz.Engine.Import.NoConvolutionException => "NoConvolution",
        InvalidDataException => "InvalidModelFile",
        NotSupportedException => "UnsupportedModel",
        _ => "ModelImportFailed",
    };
}

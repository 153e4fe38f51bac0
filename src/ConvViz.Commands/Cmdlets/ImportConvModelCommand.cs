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
    [ArgumentCompleter(typeof(Completion.ModelFileCompleter))]
    public string? Path { get; set; }

    [Parameter(ParameterSetName = LiteralPathSet, Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "FullName")]
    public string? LiteralPath { get; set; }

    [Parameter(ParameterSetName = PathSet)]
    [Parameter(ParameterSetName = LiteralPathSet)]
    [ValidateSet("torchvision", "caffe", "raw", IgnoreCase = true)]
    public string? Preset { get; set; }

    [Parameter(ParameterSetName = PathSet)]
    [Parameter(ParameterSetName = LiteralPathSet)]
    [ValidateCount(1, 2)]
    [ValidateRange(1, 8192)]
    public int[]? InputSize { get; set; }

    [Parameter(ParameterSetName = PathSet)]
    [Parameter(ParameterSetName = LiteralPathSet)]
    [ValidateSet("1", "255")]
    public string? PixelRange { get; set; }

    [Parameter(ParameterSetName = PathSet)]
    [Parameter(ParameterSetName = LiteralPathSet)]
    [ValidateNotNullOrEmpty]
    public float[]? Mean { get; set; }

    [Parameter(ParameterSetName = PathSet)]
    [Parameter(ParameterSetName = LiteralPathSet)]
    [ValidateNotNullOrEmpty]
    public float[]? Std { get; set; }

    [Parameter(ParameterSetName = PathSet)]
    [Parameter(ParameterSetName = LiteralPathSet)]
    [ValidateSet("RGB", "BGR", IgnoreCase = true)]
    public string? ChannelOrder { get; set; }

    [Parameter(ParameterSetName = PathSet)]
    [Parameter(ParameterSetName = LiteralPathSet)]
    [ValidateSet("CenterCrop", "Stretch", IgnoreCase = true)]
    public string? Resize { get; set; }

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
            WriteVerbose($"Loaded {model.Name}; moving it to device '{Device}'.");
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
            ImportOptions(); // refuses preprocessing parameters for a state dict
            var built = BuiltInArchitectures.Create(Architecture, 0);
            try
            {
                var origin = ConvViz.Engine.Import.StateDict.Load(built, file);
                foreach (var note in origin.Notes()) WriteVerbose(note);
            }
            catch { built.Dispose(); throw; }
            return Remembered(file, new Model(ModelCatalog.WithStateDictSource(built, file, Architecture)));
        }
        if (ConvViz.Engine.Import.ArchitectureRequiredException.IsPyTorchFile(file))
            throw new ConvViz.Engine.Import.ArchitectureRequiredException(file, ConvViz.Engine.Import.StateDict.Identify(file));
        var imported = new Model(ConvViz.Engine.Import.OnnxImporter.Import(file, ImportOptions()));
        WriteVerbose($"{file}: input {imported.Preprocessing}.");
        if (imported.Engine.Input.Convention is { Known: false })
            WriteWarning($"'{file}' declares no input preprocessing (no convviz.* metadata) and none was given, so ConvViz feeds it RGB pixels 0-255 without normalisation, stretched to {imported.InputHeight}x{imported.InputWidth}. "
                + "If the model was trained otherwise its scans and projections mean little: import it with -Preset torchvision (or caffe, raw), or -PixelRange, -Mean, -Std, -ChannelOrder, -Resize and -InputSize. See Get-Help about_ConvViz_Models.");
        return Remembered(file, imported);
    }

    // Tab completion of -Layer for `Import-ConvModel -Path f | ...` reads this instead of importing again.
    private static Model Remembered(string file, Model model)
    {
        Completion.LayerTables.Remember(file, model);
        return model;
    }

    private ConvViz.Engine.Import.OnnxImportOptions ImportOptions()
    {
        bool declared = Preset is not null || PixelRange is not null || ChannelOrder is not null || Resize is not null || Mean is not null || Std is not null || InputSize is not null;
        if (Architecture is not null && declared)
            throw new ConvViz.Engine.Models.InputConventionException("-Preset, -InputSize, -PixelRange, -Mean, -Std, -ChannelOrder and -Resize describe an ONNX model's input; a state dict for a built-in architecture uses the architecture's own preprocessing.");
        return new ConvViz.Engine.Import.OnnxImportOptions
        {
            Preset = Preset?.ToLowerInvariant(),
            Height = InputSize?[0],
            Width = InputSize?[^1],
            PixelMax = PixelRange is null ? null : float.Parse(PixelRange, System.Globalization.CultureInfo.InvariantCulture),
            Mean = Mean,
            Std = Std,
            ChannelOrder = ChannelOrder is null ? null : Enum.Parse<ConvViz.Engine.Models.ChannelOrder>(ChannelOrder, true),
            Resize = Resize is null ? null : ConvViz.Engine.Import.OnnxInputMetadata.ParseResize(Resize),
        };
    }

    private string SingleFile(System.Collections.ObjectModel.Collection<string> paths)
        => paths.Count == 1 ? paths[0] : throw new ArgumentException($"'{Path}' matches {paths.Count} files; Import-ConvModel takes one.");

    private static string ErrorIdFor(Exception e) => e switch
    {
        FileNotFoundException => "ModelFileNotFound",
        ConvViz.Engine.Models.InputConventionException => "InvalidPreprocessing",
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

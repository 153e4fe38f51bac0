using static TorchSharp.torch;
using System;
using System.Collections.Generic;
using System.Linq;
using ConvViz.Engine.Models.Architectures;

namespace ConvViz.Engine.Models;

/// <summary>
/// The built-in architectures, each defined once, random-initialised from a seed. All but
/// zfnet are torchvision's modules one for one (same names, shapes and forward computation),
/// so torch.save(torchvision.models.X().state_dict()) loads into X.
/// </summary>
public static class BuiltInArchitectures
{
    private static readonly Dictionary<string, Action<NetworkBuilder>> Definitions = new(StringComparer.OrdinalIgnoreCase)
    {
        ["zfnet"] = ZfNet.Define,
        ["alexnet"] = AlexNet.Define,
        ["vgg11"] = n => Vgg.Define(n, 11, false),
        ["vgg11_bn"] = n => Vgg.Define(n, 11, true),
        ["vgg13"] = n => Vgg.Define(n, 13, false),
        ["vgg13_bn"] = n => Vgg.Define(n, 13, true),
        ["vgg16"] = n => Vgg.Define(n, 16, false),
        ["vgg16_bn"] = n => Vgg.Define(n, 16, true),
        ["vgg19"] = n => Vgg.Define(n, 19, false),
        ["vgg19_bn"] = n => Vgg.Define(n, 19, true),
        ["resnet18"] = n => ResNet.Define(n, 18),
        ["resnet34"] = n => ResNet.Define(n, 34),
        ["resnet50"] = n => ResNet.Define(n, 50),
        ["resnet101"] = n => ResNet.Define(n, 101),
        ["resnet152"] = n => ResNet.Define(n, 152),
    };

    /// <summary>Every built-in name; the cmdlets' ValidateSet lists the same (a test checks).</summary>
    public static IReadOnlyList<string> Names => Definitions.Keys.ToList();

    public static bool Exists(string name) => Definitions.ContainsKey(name);

    public static ConvModel Create(string architecture, long seed = 0)
    {
        var define = Find(architecture);
        // Every temporary of the random initialisation (and the handles the ops detach from)
        // is freed here; the ops keep only their own tensors.
        using var scope = TorchSharp.torch.NewDisposeScope();
        var net = new NetworkBuilder(seed, InputSpec.Torchvision);
        define(net);
        var name = architecture.ToLowerInvariant();
        return net.Build(name, $"architecture:{name} (random, seed {seed})", ImageNetClasses.Names);
    }

    /// <summary>The state dict's tensor names and shapes, without weights or a forward pass.</summary>
    public static IReadOnlyList<(string Name, long[] Shape)> Schema(string architecture)
    {
        var define = Find(architecture);
        using var scope = TorchSharp.torch.NewDisposeScope();
        var net = new NetworkBuilder(0, InputSpec.Torchvision, schemaOnly: true);
        define(net);
        return net.Schema();
    }

    private static Action<NetworkBuilder> Find(string architecture)
    {
        if (Definitions.TryGetValue(architecture, out var define)) return define;
        var near = NameMatch.Nearest(architecture, Definitions.Keys);
        var hint = near.Count > 0 ? $" Did you mean {string.Join(" or ", near)}?" : "";
        throw new ArgumentException($"Unknown architecture '{architecture}'.{hint} Available: {string.Join(", ", Definitions.Keys)}.");
    }
}

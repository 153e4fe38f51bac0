using static TorchSharp.torch;
using System;
using System.Collections.Generic;
using System.Linq;
using ConvViz.Engine.Models.Architectures;

namespace ConvViz.Engine.Models;

/// <summary>The built-in architectures, each defined once, random-initialised from a seed.</summary>
public static class BuiltInArchitectures
{
    private static readonly Dictionary<string, Func<long, ConvModel>> Factories = new(StringComparer.OrdinalIgnoreCase)
    {
        ["zfnet"] = ZfNet.Create,
        ["alexnet"] = AlexNet.Create,
        ["vgg16"] = Vgg16.Create,
        ["resnet18"] = ResNet18.Create,
    };

    public static IReadOnlyList<string> Names => Factories.Keys.ToList();

    public static ConvModel Create(string architecture, long seed = 0)
    {
        if (!Factories.TryGetValue(architecture, out var create))
        {
            var near = NameMatch.Nearest(architecture, Factories.Keys);
            var hint = near.Count > 0 ? $" Did you mean {string.Join(" or ", near)}?" : "";
            throw new ArgumentException($"Unknown architecture '{architecture}'.{hint} Available: {string.Join(", ", Factories.Keys)}.");
        }
        // Every temporary of the random initialisation (and the handles the ops detach from)
        // is freed here; the ops keep only their own tensors.
        using var scope = NewDisposeScope();
        return create(seed);
    }
}

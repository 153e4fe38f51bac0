using System;
using System.Collections.Generic;
using System.Linq;
using ConvViz.Engine.Import;
using ConvViz.Engine.Models;
using ConvViz.Engine.Taps;
using TorchSharp;
using static TorchSharp.torch;

namespace ConvViz.TestKit;

/// <summary>State-dict round trips and deliberately wrong state dicts, for the Pester tests.</summary>
public static class StateDictCheck
{
    /// <summary>Saves <paramref name="source"/>, loads the file into <paramref name="target"/> and returns the max |difference| of their outputs on a seeded random input.</summary>
    public static double RoundTrip(ConvModel source, ConvModel target, string path, int seed)
    {
        StateDict.Save(source, path);
        StateDict.Load(target, path);
        return MaxOutputDifference(source, target, seed);
    }

    /// <summary>StateDict.Load for PowerShell, which cannot name engine types in the engine's load context.</summary>
    public static void Load(ConvModel model, string path) => StateDict.Load(model, path);

    public static double MaxOutputDifference(ConvModel a, ConvModel b, int seed)
    {
        using var scope = NewDisposeScope();
        var data = OnnxReference.RandomInput(a, seed, a.Input.PixelMax);
        var x = tensor(data).reshape(new long[] { 1 }.Concat(a.Graph.InputShape).ToArray());
        var ya = ForwardPass.Output(a.Graph, x);
        var yb = ForwardPass.Output(b.Graph, x);
        return (ya - yb).abs().max().ToDouble();
    }

    /// <summary>
    /// Writes the model's state dict with its first tensor missing, an extra tensor and its last
    /// tensor's shape changed. Returns the three names the mismatch message must list.
    /// </summary>
    public static string[] WriteWrong(ConvModel model, string path)
    {
        using var scope = NewDisposeScope();
        var named = model.Graph.NamedTensors().Select(t => (t.Name, Value: t.Tensor.Value.detach().cpu())).ToList();
        var missing = named[0].Name;
        var reshaped = named[^1].Name;
        const string extra = "unexpected.extra.weight";
        var dict = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, value) in named.Skip(1).SkipLast(1)) dict[name] = value;
        var last = named[^1].Value;
        dict[reshaped] = zeros(last.shape.Select((d, i) => i == 0 ? d + 1 : d).ToArray());
        dict[extra] = zeros(2, 2);
        StateDict.Write(dict, path);
        return new[] { missing, extra, reshaped };
    }
}

using System;
using System.Runtime.InteropServices;
using ConvViz.Engine.Graph;
using ConvViz.Engine.Graph.Ops;
using ConvViz.Engine.Models;
using ConvViz.Engine.Runtime;
using static TorchSharp.torch;

namespace ConvViz.TestKit;

/// <summary>Native-resource and fault probes for the reliability suite (plain types for PowerShell).</summary>
public static class FaultProbe
{
    /// <summary>TorchSharp tensors alive now (created and not yet disposed or finalized).</summary>
    public static long LiveTensors() => Tensor.TotalCount;

    /// <summary>Whether libtorch's own message for a failed allocation is recognised, and what the user then reads.</summary>
    public static string MapAllocationFailure(string nativeMessage, int images, int batchSize)
    {
        var native = new ExternalException(nativeMessage);
        if (!AllocationFailure.Is(native)) return "";
        var mapped = AllocationFailure.ForBatch(native, images, batchSize, "cpu");
        return mapped.GetType().Name + ": " + mapped.Message;
    }

    /// <summary>
    /// One 3x3 conv with <paramref name="channels"/> outputs at <paramref name="size"/> x
    /// <paramref name="size"/>: each image's output is channels * size^2 * 4 bytes, so a batch
    /// of many images asks libtorch for one allocation larger than the machine.
    /// </summary>
    public static ConvModel WideConv(int size, int channels, long seed)
    {
        var gen = new Generator((ulong)seed);
        var g = new GraphBuilder(3, size, size);
        var w = randn(new long[] { channels, 3, 3, 3 }, generator: gen) * 0.3;
        int conv = g.Add("conv", new Conv2dOp(w, null, new long[] { 1, 1 }, new long[] { 1, 1 }, new long[] { 1, 1 }, 1), g.Input);
        var layers = new[] { new LayerSpec("conv", "Conv", conv, conv, conv, Array.Empty<string>(), 0) };
        return new ConvModel("wide", "test:wide", g.Build(), new LayerTable(layers, "wide"),
            new InputSpec(size, size, ResizeMode.Stretch, size, 1f), ModelOutputKind.Features);
    }
}

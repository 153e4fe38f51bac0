using System;
using ConvViz.Engine.Graph;
using ConvViz.Engine.Graph.Ops;
using ConvViz.Engine.Models;
using static TorchSharp.torch;

namespace ConvViz.TestKit;

/// <summary>Hand-built models whose every weight the test chooses, for planted-pattern tests.</summary>
public static class TinyModels
{
    /// <summary>
    /// One conv layer "conv1" (then ReLU) on a Width x Height Stretch input with pixels in
    /// [0, pixelMax]; no normalisation node. <paramref name="weights"/> is out x 3 x kernel x kernel, row-major.
    /// </summary>
    public static ConvModel SingleConv(float[] weights, float[] bias, int outChannels, int kernel, int stride, int padding, int width, int height, float pixelMax = 1f)
    {
        if (weights.Length != outChannels * 3 * kernel * kernel)
            throw new ArgumentException($"{weights.Length} weights given; {outChannels}x3x{kernel}x{kernel} needs {outChannels * 3 * kernel * kernel}.");
        if (bias.Length != outChannels) throw new ArgumentException($"{bias.Length} biases for {outChannels} channels.");
        var g = new GraphBuilder(3, height, width);
        var w = tensor(weights, new long[] { outChannels, 3, kernel, kernel });
        var b = tensor(bias, new long[] { outChannels });
        int conv = g.Add("conv1", new Conv2dOp(w, b, new long[] { stride, stride }, new long[] { padding, padding }, new long[] { 1, 1 }, 1), g.Input);
        int relu = g.Add("relu1", new ReluOp(), conv, prefix: "");
        var layers = new LayerTable(new[] { new LayerSpec("conv1", "Conv", conv, relu, relu, Array.Empty<string>(), weights.Length + bias.Length) }, "tiny");
        var input = new InputSpec(width, height, ResizeMode.Stretch, Math.Max(width, height), pixelMax);
        return new ConvModel("tiny", "testkit:single-conv", g.Build(), layers, input, ModelOutputKind.Features);
    }

    /// <summary>
    /// One conv "conv1" (then ReLU) whose kernel covers the whole width x height input, so its
    /// single output position sees everything; unit 0's weights are 1 inside the region
    /// [top, top + regionHeight) x [left, left + regionWidth) of every channel and 0 elsewhere, so
    /// its projection lives on exactly that region. The input is fitted like torchvision's eval
    /// transform (shorter side to <paramref name="resizeTo"/>, centre crop).
    /// </summary>
    public static ConvModel RegionUnit(int width, int height, int resizeTo, int top, int left, int regionHeight, int regionWidth)
    {
        var g = new GraphBuilder(3, height, width);
        var w = zeros(new long[] { 1, 3, height, width });
        w[.., .., TensorIndex.Slice(top, top + regionHeight), TensorIndex.Slice(left, left + regionWidth)] = 1f;
        int conv = g.Add("conv1", new Conv2dOp(w, null, new long[] { 1, 1 }, new long[] { 0, 0 }, new long[] { 1, 1 }, 1), g.Input);
        int relu = g.Add("relu1", new ReluOp(), conv, prefix: "");
        var layers = new LayerTable(new[] { new LayerSpec("conv1", "Conv", conv, relu, relu, Array.Empty<string>(), 3 * width * height) }, "tiny");
        var input = new InputSpec(width, height, ResizeMode.ShorterSideThenCenterCrop, resizeTo, 1f);
        return new ConvModel("tiny", "testkit:region-unit", g.Build(), layers, input, ModelOutputKind.Features);
    }

    /// <summary>A 2-unit detector for <see cref="CorpusFactory.PlantPattern"/>'s bright plus sign: unit 0 fires on it, unit 1 on its negative.</summary>
    public static ConvModel PlusDetector(int size = 64)
    {
        const int k = 5;
        var w = new float[2 * 3 * k * k];
        for (int c = 0; c < 3; c++)
            for (int y = 0; y < k; y++)
                for (int x = 0; x < k; x++)
                {
                    float v = (y == k / 2 || x == k / 2) ? 1f : -1f;
                    w[((0 * 3 + c) * k + y) * k + x] = v;
                    w[((1 * 3 + c) * k + y) * k + x] = -v;
                }
        return SingleConv(w, new float[] { 0f, 0f }, 2, k, 1, 2, size, size);
    }
}

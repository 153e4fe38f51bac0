using System;
using ConvViz.Engine.Graph;
using ConvViz.Engine.Graph.Ops;
using ConvViz.Engine.Image;
using ConvViz.Engine.Models;
using ConvViz.Engine.Taps;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using static TorchSharp.torch;

namespace ConvViz.TestKit;

/// <summary>Models, images and independent predictions for the occlusion and invariance tests.</summary>
public static class AnalysisFixtures
{
    /// <summary>
    /// A 2-class classifier on a size x size input (pixels in [0, 1]) whose class-0 logit is
    /// gain * (mean of the pixels in the square region) and class-1 logit is 0: the class depends
    /// on nothing but the region. Layer "pixels" is an identity 1x1 conv (the C x H x W layer);
    /// layer "score" is the 2 logits, a Linear over the flattened pixels.
    /// (A conv whose kernel is the whole input gives wrong sums for batches above 1 in
    /// TorchSharp 0.107 on CPU, so the score is a Linear.)
    /// </summary>
    public static ConvModel RegionClassifier(int size, int top, int left, int regionSize, float gain = 8f)
    {
        var w = new float[2 * 3 * size * size];
        float v = gain / (3f * regionSize * regionSize);
        for (int c = 0; c < 3; c++)
            for (int y = top; y < top + regionSize; y++)
                for (int x = left; x < left + regionSize; x++)
                    w[(c * size + y) * size + x] = v;
        var g = new GraphBuilder(3, size, size);
        var identity = new float[] { 1, 0, 0, 0, 1, 0, 0, 0, 1 };
        int pixels = g.Add("pixels", new Conv2dOp(tensor(identity, new long[] { 3, 3, 1, 1 }), null, new long[] { 1, 1 }, new long[] { 0, 0 }, new long[] { 1, 1 }, 1), g.Input);
        int flat = g.Add("flatten", new ReshapeOp(new long[] { 3L * size * size }, "Flatten"), pixels);
        int score = g.Add("score", new LinearOp(tensor(w, new long[] { 2, 3L * size * size }), null), flat);
        var layers = new LayerTable(new[]
        {
            new LayerSpec("pixels", "Conv", pixels, pixels, pixels, Array.Empty<string>(), 9),
            new LayerSpec("score", "Linear", score, score, score, Array.Empty<string>(), w.Length),
        }, "region");
        return new ConvModel("region", "testkit:region", g.Build(), layers,
            new InputSpec(size, size, ResizeMode.Stretch, size, 1f), ModelOutputKind.Logits, new[] { "region", "other" });
    }

    /// <summary>A PNG: random bright pixels (128..255) inside [margin, size - margin) on both axes, black elsewhere.</summary>
    public static void WritePattern(string path, int width, int height, int margin, int seed)
    {
        var rng = new Random(seed);
        using var image = new Image<Rgb24>(width, height);
        for (int y = margin; y < height - margin; y++)
            for (int x = margin; x < width - margin; x++)
                image[x, y] = new Rgb24((byte)rng.Next(128, 256), (byte)rng.Next(128, 256), (byte)rng.Next(128, 256));
        image.SaveAsPng(path);
    }

    /// <summary>
    /// What a translation-equivariant layer predicts for the distance after shifting the image by
    /// <paramref name="shift"/> input pixels (a multiple of the layer's jump): with content
    /// away from the border, the layer's output is the black image's output B plus a content
    /// part C = F - B that moves by shift / jump cells, so the distance is ||C - roll(C, shift / jump)||.
    /// Computed from the untransformed image only, with torch.roll, never the engine's transforms.
    /// </summary>
    public static double PredictedTranslationDistance(ConvModel model, string path, string layer, int shift, bool vertical)
    {
        var spec = model.Input;
        var node = model.Layers.Get(layer).Activation;
        var field = model.Graph.FieldOf(node);
        long jump = vertical ? field.Y.Jump : field.X.Jump;
        if (shift % jump != 0) throw new ArgumentException($"Shift {shift} is not a multiple of layer '{layer}''s jump {jump}.");
        using var scope = NewDisposeScope();
        var fitted = ImageFitter.Load(path, spec);
        var x = tensor(fitted.Pixels, new long[] { 1, 3, spec.Height, spec.Width });
        var f = ForwardPass.Run(model.Graph, x, new[] { node })[node].to_type(ScalarType.Float64);
        var b = ForwardPass.Run(model.Graph, zeros_like(x), new[] { node })[node].to_type(ScalarType.Float64);
        var c = f - b;
        var moved = c.roll(shift / jump, vertical ? 2 : 3);
        return (c - moved).square().sum().sqrt().item<double>();
    }

    /// <summary>A copy of an image file with the box (x, y, width, height) painted black, written with ImageSharp only.</summary>
    public static void WriteOccluded(string source, string destination, int x, int y, int width, int height)
    {
        using var image = SixLabors.ImageSharp.Image.Load<Rgb24>(source);
        for (int r = y; r < y + height; r++)
            for (int c = x; c < x + width; c++) image[c, r] = new Rgb24(0, 0, 0);
        image.SaveAsPng(destination);
    }

    /// <summary>Width and height of an image file, as ImageSharp reads it.</summary>
    public static int[] PngSize(string path)
    {
        using var image = SixLabors.ImageSharp.Image.Load<Rgb24>(path);
        return new[] { image.Width, image.Height };
    }
}

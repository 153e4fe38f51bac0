using System;
using System.IO;
using System.Linq;
using ConvViz.Engine.Models;
using ConvViz.Engine.Taps;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;
using static TorchSharp.torch;

namespace ConvViz.TestKit;

/// <summary>One photo's nearest neighbour by cosine similarity of model outputs.</summary>
public sealed class Neighbour
{
    public Neighbour(string name, double cosine) { Name = name; Cosine = cosine; }
    public string Name { get; }
    public double Cosine { get; }
    public override string ToString() => $"{Name} ({Cosine:F3})";
}

/// <summary>
/// A semantic check of a pretrained feature extractor, independent of the engine's image
/// code: photos are loaded and stretched to the input size with ImageSharp here, as raw RGB
/// 0..PixelMax in N x C x H x W, and compared by the cosine of their output vectors.
/// </summary>
public static class FeatureNeighbours
{
    public static Neighbour Nearest(ConvModel model, string directory, string query)
    {
        var photos = Directory.GetFiles(directory)
            .Where(f => f.EndsWith(".png", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".jpg", StringComparison.OrdinalIgnoreCase))
            .ToList();
        var target = photos.FirstOrDefault(p => Path.GetFileNameWithoutExtension(p) == query)
            ?? throw new FileNotFoundException($"No photo named '{query}' in '{directory}'.");
        var q = Features(model, target) ?? throw new InvalidDataException($"'{target}' is not a colour photo of at least 64x64.");
        Neighbour best = new("", double.NegativeInfinity);
        foreach (var p in photos.Where(p => p != target))
        {
            var f = Features(model, p);
            if (f is null) continue;
            double c = Cosine(q, f);
            if (c > best.Cosine) best = new Neighbour(Path.GetFileNameWithoutExtension(p), c);
        }
        return best;
    }

    private static float[]? Features(ConvModel model, string path)
    {
        Image<Rgb24> image;
        try { image = Image.Load<Rgb24>(path); } catch (Exception e) when (e is UnknownImageFormatException or InvalidImageContentException or NotSupportedException) { return null; }
        using (image)
        {
            if (image.Width < 64 || image.Height < 64) return null;
            int w = model.Input.Width, h = model.Input.Height;
            image.Mutate(c => c.Resize(w, h));
            float scale = model.Input.PixelMax / 255f;
            var px = new float[3 * w * h];
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++)
                {
                    var v = image[x, y];
                    px[y * w + x] = v.R * scale; px[w * h + y * w + x] = v.G * scale; px[2 * w * h + y * w + x] = v.B * scale;
                }
            using var scope = NewDisposeScope();
            var output = ForwardPass.Output(model.Graph, tensor(px).reshape(1, 3, h, w));
            return output.flatten().data<float>().ToArray();
        }
    }

    private static double Cosine(float[] a, float[] b)
    {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.Length; i++) { dot += a[i] * b[i]; na += a[i] * a[i]; nb += b[i] * b[i]; }
        return dot / Math.Sqrt(na * nb);
    }
}

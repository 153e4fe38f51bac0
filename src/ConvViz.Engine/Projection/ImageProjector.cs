using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using ConvViz.Engine.Graph;
using ConvViz.Engine.Image;
using ConvViz.Engine.Models;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;
using static TorchSharp.torch;

namespace ConvViz.Engine.Projection;

/// <summary>
/// Projects activations of photos: decodes and fits each image once, runs one forward pass
/// with switches per batch of images for all the requests that share them, and returns the
/// reconstructions with their receptive-field crops and the matching crops of the originals.
/// </summary>
public static class ImageProjector
{
    public static IEnumerable<ImageProjection> Run(ConvModel model, IEnumerable<ProjectionRequest> requests, ProjectionRule rule,
        int imagesPerBatch = 8, ImageDecodeOptions? decode = null, Action<ImageReadException>? badImage = null,
        CancellationToken cancellationToken = default)
    {
        // Requests of one image go together, in the order their images first appear.
        var byImage = new List<(string Path, List<ProjectionRequest> Requests)>();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var r in requests)
        {
            if (!index.TryGetValue(r.ImagePath, out int i)) { i = byImage.Count; index[r.ImagePath] = i; byImage.Add((r.ImagePath, new())); }
            byImage[i].Requests.Add(r);
        }
        foreach (var batch in byImage.Chunk(Math.Max(1, imagesPerBatch)))
        {
            cancellationToken.ThrowIfCancellationRequested();
            foreach (var p in ProjectBatch(model, batch, rule, decode, badImage)) yield return p;
        }
    }

    private static List<ImageProjection> ProjectBatch(ConvModel model, (string Path, List<ProjectionRequest> Requests)[] batch,
        ProjectionRule rule, ImageDecodeOptions? decode, Action<ImageReadException>? badImage)
    {
        var spec = model.Input;
        var images = new List<(Image<Rgb24> Original, FittedImage Fitted, List<ProjectionRequest> Requests)>();
        try
        {
            foreach (var (path, reqs) in batch)
            {
                try
                {
                    var source = ImageSource.Read(path, decode);
                    var original = ImageDecoder.Decode(source, decode);
                    // Fitted exactly as the scan fitted it (DCT-reduced JPEG included).
                    images.Add((original, ImageFitter.Load(source, spec, decode), reqs));
                }
                catch (ImageReadException e) when (badImage is not null) { badImage(e); }
            }
            var output = new List<ImageProjection>();
            if (images.Count == 0) return output;

            var targets = new List<ProjectionTarget>();
            var owners = new List<(int Image, ProjectionRequest Request, LayerSpec Layer, int Node)>();
            for (int i = 0; i < images.Count; i++)
                foreach (var r in images[i].Requests)
                {
                    var layer = model.Layers.Get(r.Layer);
                    int node = layer.NodeFor(r.Stage);
                    targets.Add(new ProjectionTarget(i, node, r.Unit, r.Y, r.X, r.KeepFeatureMap));
                    owners.Add((i, r, layer, node));
                }

            float[][] planes = images.Select(x => x.Fitted.Pixels).ToArray();
            using var scope = NewDisposeScope();
            var input = stack(planes.Select(p => tensor(p).reshape(3, spec.Height, spec.Width)).ToArray()).to(model.Device);
            var projected = BatchProjector.ProjectActivations(model, input, targets, rule);

            for (int k = 0; k < projected.Length; k++)
            {
                var (img, request, layer, node) = owners[k];
                var p = projected[k];
                var inputBox = model.Graph.FieldOf(node).BoxOf(p.Y, p.X, spec.Height, spec.Width);
                var geometry = images[img].Fitted.Geometry;
                var imageBox = geometry.ToOriginal(inputBox);
                output.Add(new ImageProjection(request, layer.Name, (int)p.Y, (int)p.X, p.Value,
                    p.Pixels, spec.Height, spec.Width, inputBox, imageBox,
                    Crop(p.Pixels, spec.Height, spec.Width, inputBox), Patch(images[img].Original, imageBox), geometry));
            }
            return output;
        }
        finally
        {
            foreach (var x in images) x.Original.Dispose();
        }
    }

    /// <summary>Cuts a C x H x W plane stack to a box.</summary>
    public static float[] Crop(float[] planes, int height, int width, PixelBox box)
    {
        int channels = planes.Length / (height * width);
        int h = (int)box.Height, w = (int)box.Width;
        var result = new float[channels * h * w];
        for (int c = 0; c < channels; c++)
            for (int y = 0; y < h; y++)
                Array.Copy(planes, (c * height + box.Top + y) * width + box.Left, result, (c * h + y) * w, w);
        return result;
    }

    /// <summary>The box of an image as interleaved RGB bytes.</summary>
    public static byte[] Patch(Image<Rgb24> image, PixelBox box)
    {
        int h = (int)box.Height, w = (int)box.Width;
        var bytes = new byte[h * w * 3];
        if (h == 0 || w == 0) return bytes;
        using var crop = image.Clone(x => x.Crop(new Rectangle((int)box.Left, (int)box.Top, w, h)));
        crop.CopyPixelDataTo(bytes);
        return bytes;
    }
}

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
/// Projects activations of photos: decodes and fits each image once, and streams the
/// projections out as they are computed: per batch of images, in chunks of at most
/// <see cref="BatchProjector.DefaultChunk"/> requests (of one or several images), each chunk with
/// its own forward pass with switches and its own dispose scope, so nothing the caller does between two results
/// runs inside a tensor scope of ours, and memory is bounded by one chunk whatever the number
/// of requests. Each result carries its receptive-field crop and the matching crop of the
/// original; the full-input reconstruction only when <c>keepFull</c>.
/// </summary>
public static class ImageProjector
{
    public static IEnumerable<ImageProjection> Run(ConvModel model, IEnumerable<ProjectionRequest> requests, ProjectionRule rule,
        int imagesPerBatch = 8, ImageDecodeOptions? decode = null, Action<ImageReadException>? badImage = null,
        CancellationToken cancellationToken = default, bool keepFull = true)
        => Run(model, requests, new ProjectionSettings(new[] { rule }), imagesPerBatch, decode, badImage, cancellationToken, keepFull);

    /// <summary>
    /// As above with several rules (all from one forward pass per chunk; null takes each layer's
    /// <see cref="MethodChoice"/>) and a crop mode.
    /// </summary>
    public static IEnumerable<ImageProjection> Run(ConvModel model, IEnumerable<ProjectionRequest> requests, ProjectionSettings settings,
        int imagesPerBatch = 8, ImageDecodeOptions? decode = null, Action<ImageReadException>? badImage = null,
        CancellationToken cancellationToken = default, bool keepFull = true)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Crop.Validate();
        if (settings.Rules is { Count: 0 }) throw new ArgumentException("At least one projection rule is needed.", nameof(settings));
        // Requests of one image go together, in the order their images first appear.
        var byImage = new List<(string Path, List<ProjectionRequest> Requests)>();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var r in requests)
        {
            if (!index.TryGetValue(r.ImagePath, out int i)) { i = byImage.Count; index[r.ImagePath] = i; byImage.Add((r.ImagePath, new())); }
            byImage[i].Requests.Add(r);
        }
        var rulesOf = new Dictionary<int, IReadOnlyList<ProjectionRule>>();
        IReadOnlyList<ProjectionRule> RulesFor(int node)
            => rulesOf.TryGetValue(node, out var r) ? r : rulesOf[node] = settings.Rules ?? new[] { MethodChoice.For(model.Graph, node) };
        foreach (var batch in byImage.Chunk(Math.Max(1, imagesPerBatch)))
        {
            cancellationToken.ThrowIfCancellationRequested();
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
                        images.Add((original, ImageFitter.Load(source, model.Input, decode), reqs));
                    }
                    catch (ImageReadException e) when (badImage is not null) { badImage(e); }
                }
                // Chunk by chunk, in image order: the requests of consecutive images share a chunk (one forward
                // pass of their images, and every op of the way down runs once for all of them), so an image
                // with a few records does not pay for a way down of its own; the first results come after one chunk.
                var all = images.SelectMany((x, i) => x.Requests.Select(r => (Image: i, Request: r))).ToList();
                foreach (var chunk in all.Chunk(BatchProjector.DefaultChunk))
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    foreach (var p in ProjectChunk(model, images, chunk, settings, RulesFor, keepFull)) yield return p;
                }
            }
            finally
            {
                foreach (var x in images) x.Original.Dispose();
            }
        }
    }

    private static List<ImageProjection> ProjectChunk(ConvModel model, List<(Image<Rgb24> Original, FittedImage Fitted, List<ProjectionRequest> Requests)> images,
        (int Image, ProjectionRequest Request)[] requests, ProjectionSettings settings, Func<int, IReadOnlyList<ProjectionRule>> rulesFor, bool keepFull)
    {
        var spec = model.Input;
        // The chunk's images, each once, as rows of one input batch.
        var rows = requests.Select(r => r.Image).Distinct().ToList();
        var rowOf = rows.Select((image, row) => (image, row)).ToDictionary(x => x.image, x => x.row);
        var targets = new List<ProjectionTarget>(requests.Length);
        var owners = new List<(ProjectionRequest Request, LayerSpec Layer, int Node)>(requests.Length);
        foreach (var (image, r) in requests)
        {
            var layer = model.Layers.Get(r.Layer);
            int node = layer.NodeFor(r.Stage);
            targets.Add(new ProjectionTarget(rowOf[image], node, r.Unit, r.Y, r.X, r.KeepFeatureMap));
            owners.Add((r, layer, node));
        }
        ProjectedActivation[] projected;
        using (NewDisposeScope())
        {
            var planes = new float[rows.Count * 3 * spec.Height * spec.Width];
            for (int i = 0; i < rows.Count; i++)
                images[rows[i]].Fitted.Pixels.CopyTo(planes, i * 3 * spec.Height * spec.Width);
            var input = tensor(planes).reshape(rows.Count, 3, spec.Height, spec.Width).to(model.Device);
            projected = BatchProjector.ProjectActivations(model, input, targets, rulesFor);
        }
        var output = new List<ImageProjection>(projected.Length);
        bool effective = settings.Crop.Mode == CropMode.Effective;
        for (int k = 0; k < projected.Length; k++)
        {
            var (request, layer, node) = owners[k];
            var (original, fitted, _) = images[requests[k].Image];
            var geometry = fitted.Geometry;
            var p = projected[k];
            var inputBox = model.Graph.FieldOf(node).BoxOf(p.Y, p.X, spec.Height, spec.Width);
            var imageBox = geometry.ToOriginal(inputBox);
            var (cropBox, share) = effective
                ? EffectiveCrop.Of(p.Pixels, spec.Height, spec.Width, inputBox, settings.Crop.Mass, settings.Crop.MinSize)
                : (inputBox, 1.0);
            var cropImageBox = effective ? geometry.ToOriginal(cropBox) : imageBox;
            var crops = p.ByRule.Select(full => Crop(full, spec.Height, spec.Width, cropBox)).ToArray();
            output.Add(new ImageProjection(request, layer.Name, (int)p.Y, (int)p.X, p.Value,
                keepFull ? p.Pixels : Array.Empty<float>(), spec.Height, spec.Width, inputBox, imageBox,
                crops[0], Patch(original, cropImageBox), geometry)
            {
                CropInputBox = cropBox,
                CropImageBox = cropImageBox,
                CropMode = settings.Crop.Mode,
                CropShare = share,
                Rules = rulesFor(node),
                Fulls = keepFull ? p.ByRule : Array.Empty<float[]>(),
                Crops = crops,
            });
        }
        return output;
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

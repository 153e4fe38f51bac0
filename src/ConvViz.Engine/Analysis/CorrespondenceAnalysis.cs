using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using ConvViz.Engine.Graph;
using ConvViz.Engine.Image;
using ConvViz.Engine.Models;
using ConvViz.Engine.Taps;
using static TorchSharp.torch;

namespace ConvViz.Engine.Analysis;

/// <summary>
/// Correspondence analysis (Zeiler and Fergus 2014, section 4.3, Table 1): the same object part
/// (say the left eye) is occluded in several images, and for each image and layer the change
/// of the features, epsilon = x - x_occluded, is reduced to its signs. If the network
/// implicitly locates the part, occluding it moves the features the same way in every image:
/// the Hamming distance between the sign vectors of two images is small. The control occludes
/// a square of the same size at random places. Images are added one at a time (so a cmdlet can
/// stream them); only the sign vectors are kept, (1 + RandomTrials) x Features bytes per
/// image and layer. Each image's copies go through the network BatchSize at a time, with the
/// unoccluded image in every batch, each batch in its own dispose scope.
/// </summary>
public sealed class CorrespondenceAnalysis
{
    private readonly ConvModel _model;
    private readonly CorrespondenceOptions _options;
    private readonly IReadOnlyList<LayerSpec> _layers;
    private readonly Random _random;
    // Per part, in the order first seen: per image, per layer, the sign vectors (index 0 the part, 1.. the random trials).
    private readonly Dictionary<string, List<sbyte[][][]>> _signs = new(StringComparer.Ordinal);
    private readonly List<string> _parts = new();
    private readonly Dictionary<string, List<string>> _names = new(StringComparer.Ordinal);

    public CorrespondenceAnalysis(ConvModel model, CorrespondenceOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        options ??= new CorrespondenceOptions();
        options.Validate();
        _model = model;
        _options = options;
        _layers = options.Layers is null ? DefaultLayers(model) : model.Layers.Resolve(options.Layers);
        if (_layers.Count == 0) throw new ArgumentException($"No layers of model '{model.Name}' to measure.");
        _random = new Random(options.Seed);
    }

    public IReadOnlyList<LayerSpec> Layers => _layers;

    /// <summary>How many images each part has so far.</summary>
    public IReadOnlyDictionary<string, int> ImagesPerPart => _parts.ToDictionary(p => p, p => _signs[p].Count, StringComparer.Ordinal);

    /// <summary>The top layer with a C x H x W output and the model's last layer.</summary>
    public static IReadOnlyList<LayerSpec> DefaultLayers(ConvModel model)
        => new[] { ModelReadout.TopSpatialLayer(model), model.Layers.All[^1] }.Distinct().ToList();

    /// <summary>
    /// Occludes <paramref name="region"/> (original-image pixels, as <paramref name="image"/>'s
    /// geometry maps them) and the random controls, and keeps the signs of the changes.
    /// </summary>
    /// <param name="imagePath">Names the image in errors and in the result's ImagePaths.</param>
    public void Add(string part, FittedImage image, PixelBox region, string? imagePath = null, CancellationToken cancellation = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(part);
        ArgumentNullException.ThrowIfNull(image);
        var g = image.Geometry;
        string name = imagePath is null ? "the image" : $"'{imagePath}'";
        if (region.Height <= 0 || region.Width <= 0)
            throw new ArgumentException($"The region of part '{part}' in {name} is empty ({region.Width}x{region.Height}).");
        if (region.Top < 0 || region.Left < 0 || region.Bottom > g.OriginalHeight || region.Right > g.OriginalWidth)
            throw new ArgumentException(
                $"The region of part '{part}' (x {region.Left}, y {region.Top}, {region.Width}x{region.Height}) is not inside {name}, which is {g.OriginalWidth}x{g.OriginalHeight}.");
        var box = g.ToInput(region);
        if (box.Height <= 0 || box.Width <= 0)
            throw new ArgumentException($"The region of part '{part}' in {name} lies where the model's crop cuts the image away; the model never sees it.");

        int h = _model.Input.Height, w = _model.Input.Width;
        var boxes = new List<PixelBox> { box };
        for (int t = 0; t < _options.RandomTrials; t++)
        {
            long top = _random.Next(0, (int)(h - box.Height) + 1), left = _random.Next(0, (int)(w - box.Width) + 1);
            boxes.Add(new PixelBox(top, left, top + box.Height, left + box.Width));
        }

        var signs = new sbyte[_layers.Count][][];
        for (int l = 0; l < _layers.Count; l++) signs[l] = new sbyte[boxes.Count][];
        var taps = _layers.Select(l => l.Activation).Distinct().ToArray();
        var fill = FillColor.Of(_options.Fill, image.Pixels, _model.Input.PixelMax);

        using var outer = NewDisposeScope();
        var device = _model.Device;
        var input = tensor(image.Pixels, new long[] { 1, 3, h, w }).to(device);
        var fillTensor = tensor(fill, new long[] { 1, 3, 1, 1 }).to(device);
        for (int start = 0; start < boxes.Count; start += _options.BatchSize)
        {
            cancellation.ThrowIfCancellationRequested();
            int b = Math.Min(_options.BatchSize, boxes.Count - start);
            using var batchScope = NewDisposeScope();
            // Row 0 is the unoccluded image: it shares the batch, so round-off is the same as the copies'.
            var copies = new PixelBox?[b + 1];
            for (int k = 0; k < b; k++) copies[k + 1] = boxes[start + k];
            var batch = OccludedCopies.Of(input, fillTensor, copies);
            var values = ForwardPass.Run(_model.Graph, batch, taps);
            for (int l = 0; l < _layers.Count; l++)
            {
                var features = values[_layers[l].Activation].reshape(b + 1, -1);
                var rows = SignChange.Of(features[0], features.narrow(0, 1, b), _options.Tolerance);
                Array.Copy(rows, 0, signs[l], start, b);
            }
        }

        if (!_signs.TryGetValue(part, out var list))
        {
            _signs[part] = list = new List<sbyte[][][]>();
            _names[part] = new List<string>();
            _parts.Add(part);
        }
        list.Add(signs);
        _names[part].Add(imagePath ?? $"image {list.Count}");
    }

    /// <summary>
    /// One result per part (in the order first seen) and layer. A part needs at least 2 images:
    /// with fewer it is an error, or, with <paramref name="skipIncomplete"/>, left out (see <see cref="ImagesPerPart"/>).
    /// </summary>
    public IReadOnlyList<CorrespondenceResult> Results(bool skipIncomplete = false)
    {
        var results = new List<CorrespondenceResult>();
        foreach (var part in _parts)
        {
            var images = _signs[part];
            if (images.Count < 2 && skipIncomplete) continue;
            if (images.Count < 2)
                throw new InvalidOperationException($"Part '{part}' has {images.Count} image; correspondence compares pairs of images, so a part needs at least 2.");
            for (int l = 0; l < _layers.Count; l++)
            {
                var (mean, std, pairs) = SignChange.OverPairs(images.Select(i => i[l][0]).ToList());
                double? randomMean = null, randomStd = null;
                if (_options.RandomTrials > 0)
                {
                    var trialMeans = new List<double>();
                    for (int t = 1; t <= _options.RandomTrials; t++)
                        trialMeans.Add(SignChange.OverPairs(images.Select(i => i[l][t]).ToList()).Mean);
                    var (m, s) = SignChange.MeanStd(trialMeans);
                    randomMean = m; randomStd = s;
                }
                results.Add(new CorrespondenceResult(part, _layers[l].Name, images.Count, pairs, images[0][l][0].LongLength, _names[part].ToArray(),
                    mean, std, _options.RandomTrials, randomMean, randomStd));
            }
        }
        return results;
    }
}

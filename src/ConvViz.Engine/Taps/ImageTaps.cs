using System;
using System.Collections.Generic;
using System.Linq;
using ConvViz.Engine.Image;
using ConvViz.Engine.Models;
using static TorchSharp.torch;

namespace ConvViz.Engine.Taps;

/// <summary>One tapped node's output for one image, copied off the device.</summary>
public sealed record TappedImage(string ImagePath, int Node, long[] Shape, float[] Values, ImageGeometry Geometry);

/// <summary>
/// Runs photos through a model and returns the outputs of chosen nodes: the engine side of
/// Get-FeatureMap and Get-ConvModelOutput. Images are decoded and fitted like in a scan.
/// </summary>
public static class ImageTaps
{
    public static IEnumerable<TappedImage> Run(ConvModel model, IEnumerable<string> paths, IReadOnlyList<int> nodes, int batchSize = 16,
        ImageDecodeOptions? decode = null, Action<ImageReadException>? badImage = null, System.Threading.CancellationToken cancellationToken = default)
    {
        var spec = model.Input;
        foreach (var chunk in paths.Chunk(Math.Max(1, batchSize)))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var fitted = new List<(string Path, FittedImage Image)>();
            foreach (var path in chunk)
            {
                try
                {
                    fitted.Add((path, ImageFitter.Load(ImageSource.Read(path, decode), spec, decode)));
                }
                catch (ImageReadException e) when (badImage is not null) { badImage(e); }
            }
            if (fitted.Count == 0) continue;
            var results = new List<TappedImage>();
            using (var scope = NewDisposeScope())
            {
                var input = stack(fitted.Select(f => tensor(f.Image.Pixels).reshape(3, spec.Height, spec.Width)).ToArray()).to(model.Device);
                var outputs = ForwardPass.Run(model.Graph, input, nodes);
                foreach (var node in nodes.Distinct())
                {
                    var cpu = outputs[node].contiguous().cpu();
                    var shape = cpu.shape.Skip(1).ToArray();
                    var all = cpu.data<float>().ToArray();
                    long size = all.Length / fitted.Count;
                    for (int i = 0; i < fitted.Count; i++)
                        results.Add(new TappedImage(fitted[i].Path, node, shape, all.AsSpan((int)(i * size), (int)size).ToArray(), fitted[i].Image.Geometry));
                }
            }
            foreach (var r in results.OrderBy(r => fitted.FindIndex(f => f.Path == r.ImagePath))) yield return r;
        }
    }
}

using System.Collections.Generic;
using System.Linq;
using ConvViz.Engine.Models;

namespace ConvViz.Commands.Hosting;

/// <summary>Turns the engine's layer table into Layer records, optionally filtered by names or patterns.</summary>
internal static class LayerRecords
{
    public static IEnumerable<Layer> For(Model model, string[]? patterns)
    {
        var engine = model.Engine;
        var all = engine.Layers.All;
        IEnumerable<LayerSpec> chosen = patterns is null || patterns.Length == 0
            ? all
            : engine.Layers.Resolve(patterns.Select(p => p == "*" ? "**" : p)); // here "*" lists every layer, not just convs
        foreach (var spec in chosen)
        {
            int node = spec.Activation;
            var shape = engine.Graph.ShapeOf(node);
            var field = engine.Graph.FieldOf(node);
            long c = shape.Length > 0 ? shape[0] : 1, h = shape.Length > 1 ? shape[1] : 1, w = shape.Length > 2 ? shape[2] : 1;
            yield return new Layer
            {
                Model = engine.Name,
                Preprocessing = engine.Input.Describe(),
                Index = IndexOf(all, spec),
                Name = spec.Name,
                Aliases = spec.Aliases.ToList(),
                Kind = spec.Kind,
                Channels = c, Height = h, Width = w,
                OutputShape = ShapeText(shape),
                PooledShape = ShapeText(engine.Graph.ShapeOf(spec.Pooled)),
                ReceptiveField = field.Global ? engine.Input.Height : field.Y.Size,
                ReceptiveFieldWidth = field.Global ? engine.Input.Width : field.X.Size,
                Jump = field.Global ? 0 : field.Y.Jump,
                Start = field.Global ? 0 : field.Y.Start,
                Global = field.Global,
                Parameters = spec.ParameterCount,
            };
        }
    }

    private static string ShapeText(long[] shape) => string.Join("×", shape);

    private static int IndexOf(IReadOnlyList<LayerSpec> all, LayerSpec spec)
    {
        for (int i = 0; i < all.Count; i++) if (ReferenceEquals(all[i], spec)) return i;
        return -1;
    }
}

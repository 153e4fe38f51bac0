using System.Linq;
using ConvViz.Engine.Analysis;
using ConvViz.Engine.Models;
using ConvViz.Engine.Taps;
using static TorchSharp.torch;

namespace ConvViz.TestKit;

/// <summary>
/// A model's final output for one photo through the engine's own path (decode, fit to the
/// model's InputSpec, the graph's preprocessing nodes, the graph), for comparing with PyTorch.
/// </summary>
public static class ModelOutputs
{
    public static float[] OfPhoto(ConvModel model, string path)
    {
        using var scope = NewDisposeScope();
        var fitted = AnalysisImage.Load(path, model.Input);
        var s = model.Graph.InputShape;
        using var x = tensor(fitted.Pixels).reshape(1, s[0], s[1], s[2]).to(model.Device);
        using var _ = no_grad();
        return ForwardPass.Output(model.Graph, x).cpu().contiguous().data<float>().ToArray();
    }

    /// <summary>The same, with the photo repeated in a batch of <paramref name="rows"/>: one output per row (batches take other kernels).</summary>
    public static float[][] OfPhotoInBatch(ConvModel model, string path, int rows)
    {
        using var scope = NewDisposeScope();
        var fitted = AnalysisImage.Load(path, model.Input);
        var s = model.Graph.InputShape;
        using var x = tensor(fitted.Pixels).reshape(1, s[0], s[1], s[2]).expand(rows, s[0], s[1], s[2]).contiguous().to(model.Device);
        using var _ = no_grad();
        var y = ForwardPass.Output(model.Graph, x).cpu().contiguous();
        return Enumerable.Range(0, rows).Select(r => y[r].data<float>().ToArray()).ToArray();
    }

    /// <summary>max |a - b| / max |b|: the error relative to the reference output's scale.</summary>
    public static double RelativeError(float[] actual, double[] reference)
        => OnnxReference.RelDiff(actual, reference.Select(v => (float)v).ToArray());
}

using System;
using System.Collections.Generic;
using ConvViz.Engine.Graph;
using ConvViz.Engine.Runtime;
using static TorchSharp.torch;

namespace ConvViz.Engine.Models;

/// <summary>A network ready for ConvViz: its graph, its layers, its input and what its output means.</summary>
public sealed class ConvModel : IDisposable
{
    public ConvModel(string name, string source, ConvGraph graph, LayerTable layers, InputSpec input, ModelOutputKind output, IReadOnlyList<string>? classNames = null)
    {
        Name = name; Source = source; Graph = graph; Layers = layers; Input = input; Output = output; ClassNames = classNames;
    }

    public string Name { get; }
    /// <summary>Where the model came from: "architecture:zfnet (seed 0)", a file path, "pretrained:resnet18".</summary>
    public string Source { get; }
    public ConvGraph Graph { get; }
    public LayerTable Layers { get; }
    public InputSpec Input { get; }
    public ModelOutputKind Output { get; }
    public IReadOnlyList<string>? ClassNames { get; }
    public Device Device => Graph.Device;
    /// <summary>"cpu" or "cuda:N": the device as text, for callers that do not reference TorchSharp.</summary>
    public string DeviceName => Device.type == TorchSharp.DeviceType.CPU ? "cpu" : $"cuda:{Device.index}";
    public long ParameterCount => Graph.LearnableCount;

    public ConvModel To(string device)
    {
        Graph.MoveTo(Devices.Resolve(device));
        return this;
    }

    public void Dispose() => Graph.Dispose();
}

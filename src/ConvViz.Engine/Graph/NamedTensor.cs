using static TorchSharp.torch;

namespace ConvViz.Engine.Graph;

/// <summary>A tensor an op owns: a learnable weight or a buffer such as BN's running mean.</summary>
public sealed class NamedTensor
{
    public NamedTensor(string name, Tensor value, bool learnable)
    {
        Name = name; Value = value; Learnable = learnable;
    }
    public string Name { get; }
    public Tensor Value { get; set; }
    public bool Learnable { get; }
}

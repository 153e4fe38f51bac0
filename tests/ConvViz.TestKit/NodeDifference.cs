namespace ConvViz.TestKit;

/// <summary>How far one engine node's output is from ONNX Runtime's value: max |a-b| / max |b|.</summary>
public sealed class NodeDifference
{
    public NodeDifference(string name, double maxRelDiff) { Name = name; MaxRelDiff = maxRelDiff; }
    public string Name { get; }
    public double MaxRelDiff { get; }
    public override string ToString() => $"{Name}: {MaxRelDiff:E2}";
}

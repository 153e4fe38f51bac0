using System.Collections.Generic;
using static TorchSharp.torch;

namespace ConvViz.Engine.Graph.Ops;

/// <summary>
/// y = x * scale + shift with constant, broadcastable scale and shift: ONNX Mul, Div, Add
/// and Sub by a constant, and input normalisation (mean and std). Adjoint: times scale.
/// </summary>
public sealed class AffineOp : GraphOp
{
    public AffineOp(Tensor? scale, Tensor? shift, string kind = "Affine")
    {
        if (scale is not null) Own("scale", scale, learnable: false);
        if (shift is not null) Own("shift", shift, learnable: false);
        HasScale = scale is not null; HasShift = shift is not null;
        _kind = kind;
    }

    private readonly string _kind;
    public bool HasScale { get; }
    public bool HasShift { get; }
    public override string Kind => _kind;

    public override Tensor Forward(IReadOnlyList<Tensor> inputs, SwitchTape? tape, int node)
    {
        var x = inputs[0];
        if (HasScale && HasShift) return x * T("scale") + T("shift");
        if (HasScale) return x * T("scale");
        if (HasShift) return x + T("shift");
        return x.alias();
    }

    // Windowed when the input has the signal's shape and the scale is per channel (or one number).
    public override (Tensor Signal, SignalWindow Window)?[]? ProjectWindow(Tensor signal, SignalWindow window, ProjectionContext context)
    {
        var shape = context.InputShapes[0];
        if (!window.IsMapOf(shape, signal.shape[1])) return null;
        if (!HasScale) return new (Tensor, SignalWindow)?[] { (signal.clone(), window) };
        var scale = T("scale");
        bool perChannel = scale.dim() is 3 or 4 && scale.shape[^1] == 1 && scale.shape[^2] == 1;
        if (scale.numel() != 1 && !perChannel) return null; // a scale along W or H is spatial
        return new (Tensor, SignalWindow)?[] { (signal * scale, window) };
    }

    public override Tensor?[] Project(Tensor signal, ProjectionContext context)
    {
        if (!HasScale) return new Tensor?[] { ReduceTo(signal, context.InputShapes[0]) };
        using var scaled = signal * T("scale");
        return new Tensor?[] { ReduceTo(scaled, context.InputShapes[0]) };
    }
}

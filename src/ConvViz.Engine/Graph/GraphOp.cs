using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace ConvViz.Engine.Graph;

/// <summary>
/// One operation of a ConvGraph. Forward computes the value (recording switches when a
/// tape is given); Project applies the op's adjoint to a reconstruction signal under a
/// <see cref="ProjectionRule"/>. Every op implements both, so no layer is ever skipped
/// on the way down.
/// </summary>
public abstract class GraphOp : IDisposable
{
    private readonly List<NamedTensor> _tensors = new();

    /// <summary>Short kind shown to users: Conv, BatchNorm, ReLU, MaxPool, ...</summary>
    public abstract string Kind { get; }

    /// <summary>How many graph inputs the op takes; -1 for any number.</summary>
    public virtual int Arity => 1;

    public abstract Tensor Forward(IReadOnlyList<Tensor> inputs, SwitchTape? tape, int node);

    /// <summary>
    /// True when <see cref="Forward"/> (and <see cref="ForwardInPlace"/>) returns storage that no other value
    /// shares: never a view of an input. <see cref="Taps.ForwardPass"/> may then let the node's only consumer
    /// overwrite it in place.
    /// </summary>
    public virtual bool FreshOutput => false;

    /// <summary>
    /// The same values as <see cref="Forward"/> without a tape, bit for bit, computed by overwriting inputs[0],
    /// which the caller guarantees nothing else reads or shares; null when the op has no in-place form for
    /// these inputs (the caller then runs <see cref="Forward"/>).
    /// </summary>
    public virtual Tensor? ForwardInPlace(IReadOnlyList<Tensor> inputs) => null;

    /// <summary>The signal for each graph input (null where nothing flows).</summary>
    public abstract Tensor?[] Project(Tensor signal, ProjectionContext context);

    /// <summary>
    /// The adjoint of a signal that is non-zero only inside <paramref name="window"/>: per graph input its
    /// signal and window (null where nothing flows), with the same values as <see cref="Project"/> on the
    /// whole map. Null when the op has no windowed form; the projector then widens the signal to the
    /// whole map and calls <see cref="Project"/>.
    /// </summary>
    public virtual (Tensor Signal, SignalWindow Window)?[]? ProjectWindow(Tensor signal, SignalWindow window, ProjectionContext context) => null;

    public virtual SpatialStep Spatial => SpatialStep.Pointwise;

    /// <summary>The op's weights and buffers, named by their state-dict suffix.</summary>
    public IReadOnlyList<NamedTensor> Tensors => _tensors;

    public long LearnableCount => _tensors.Where(t => t.Learnable).Sum(t => t.Value.numel());

    protected Tensor Own(string name, Tensor value, bool learnable = true)
    {
        // The op owns its tensors until Dispose, whatever scope built it: a builder's scope then
        // frees every temporary of construction at once instead of leaving it to the finalizer.
        var owned = value.detach().DetachFromDisposeScope();
        _tensors.Add(new NamedTensor(name, owned, learnable));
        return owned;
    }

    protected Tensor T(string name) => _tensors.First(t => t.Name == name).Value;

    /// <summary>
    /// Replaces the value of a named tensor (same shape; converted to its dtype and device) and
    /// frees the old one at once: a random initialisation replaced by loaded weights does not
    /// wait for the finalizer.
    /// </summary>
    public void Assign(string name, Tensor source)
    {
        var slot = _tensors.First(t => t.Name == name);
        if (!slot.Value.shape.SequenceEqual(source.shape))
            throw new ArgumentException($"Tensor '{name}' has shape [{string.Join("x", slot.Value.shape)}], the new value [{string.Join("x", source.shape)}].");
        using var _ = no_grad();
        var old = slot.Value;
        using (var scope = NewDisposeScope())
            slot.Value = source.to(old.dtype, old.device).contiguous().detach().DetachFromDisposeScope();
        old.Dispose();
    }

    public virtual void MoveTo(Device device)
    {
        foreach (var t in _tensors)
        {
            // Device is a class without value equality: compare type and index, or every "move"
            // to the same device copied handles (and left one per tensor to the finalizer).
            var at = t.Value.device;
            if (at.type == device.type && (device.type == DeviceType.CPU || at.index == device.index)) continue;
            using var copy = t.Value.to(device);
            var moved = copy.detach();
            t.Value.Dispose();
            t.Value = moved;
        }
        OnMoved();
    }

    /// <summary>Ops that cache tensors derived from their named tensors refresh them here.</summary>
    protected virtual void OnMoved() { }

    public virtual void Dispose()
    {
        foreach (var t in _tensors) t.Value.Dispose();
        _tensors.Clear();
    }

    /// <summary>Sums a broadcast signal back down to an input's shape (batch kept).</summary>
    protected static Tensor ReduceTo(Tensor signal, long[] shapeWithoutBatch)
    {
        var target = new long[shapeWithoutBatch.Length + 1];
        target[0] = signal.shape[0];
        Array.Copy(shapeWithoutBatch, 0, target, 1, shapeWithoutBatch.Length);
        if (signal.shape.SequenceEqual(target)) return signal.alias();
        var s = signal;
        // Leading dims the input did not have.
        while (s.dim() > target.Length) s = s.sum(1);
        for (int d = 1; d < target.Length; d++)
            if (target[d] == 1 && s.shape[d] != 1) s = s.sum(d, keepdim: true);
        return s;
    }
}

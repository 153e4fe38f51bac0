using System;
using System.Collections.Generic;
using System.Linq;
using ConvViz.Engine.Tensors;
using static TorchSharp.torch;

namespace ConvViz.Engine.TopK;

/// <summary>
/// The running top-k of every (tap, unit), kept on the scan's device as three k x U tensors
/// (values, image sequence numbers, positions), sorted by rank. Each batch only contributes
/// k candidates per unit at most, so nothing proportional to the dataset is ever stored.
///
/// Order (a strict total order, so the result does not depend on batching, sharding or
/// resuming): value descending, then image sequence ascending, then position (y*W+x)
/// ascending. torch.topk alone is not used for the final choice because it does not define
/// which of several equal values it keeps; instead candidates are sorted by the integer key
/// sequence*HW+position and then stably by value.
/// </summary>
public sealed class TopKStore : IDisposable
{
    private readonly Slot[] _slots;

    public TopKStore(IReadOnlyList<TapSpec> taps, int k, bool allowSameImage, Device device)
    {
        if (k < 1) throw new ArgumentOutOfRangeException(nameof(k), $"k must be at least 1, got {k}.");
        Taps = taps; K = k; AllowSameImage = allowSameImage; Device = device;
        _slots = taps.Select(t => new Slot(t, device)).ToArray();
    }

    public IReadOnlyList<TapSpec> Taps { get; }
    public int K { get; }
    public bool AllowSameImage { get; }
    public Device Device { get; }

    /// <summary>
    /// Folds one batch into tap <paramref name="tap"/>. <paramref name="activation"/> is N x C x H x W
    /// (or N x C); <paramref name="sequences"/> holds the N images' sequence numbers (int64, on
    /// the device) in ascending order. Call inside the batch's dispose scope.
    /// </summary>
    public void Update(int tap, Tensor activation, Tensor sequences)
    {
        // Its own scope: the views of the activation die here, so a streamed pass can free it at once.
        using var scope = NewDisposeScope();
        var slot = _slots[tap];
        var spec = slot.Spec;
        long n = activation.shape[0];
        var a = activation.dim() == 2 ? activation.view(n, activation.shape[1], 1, 1) : activation;
        long units = spec.Units.Count, hw = spec.Positions;

        Tensor values, seqs, positions;
        if (!AllowSameImage)
        {
            // One patch per image: its strongest position y*W+x (argmax keeps the first on ties).
            // A channels-last map (the scan's layout) is reduced as N x HW x C, a view: no copy of the map.
            Tensor max, argmax;
            if (MemoryLayout.IsChannelsInnermost(a))
            {
                var byPosition = a.permute(0, 2, 3, 1).reshape(n, hw, a.shape[1]);
                if (!spec.AllUnits) byPosition = byPosition.index_select(2, slot.UnitIndex!);
                (max, argmax) = byPosition.max(1);
            }
            else
            {
                if (!spec.AllUnits) a = a.index_select(1, slot.UnitIndex!);
                (max, argmax) = a.reshape(n, units, hw).max(2);
            }
            values = max;
            positions = argmax;
            seqs = sequences.view(n, 1).expand(n, units);
        }
        else
        {
            if (!spec.AllUnits) a = a.index_select(1, slot.UnitIndex!);
            (values, seqs, positions) = BatchTopK(a.reshape(n, units, hw), sequences, hw);
        }
        slot.Merge(values.to(ScalarType.Float32), seqs, positions, K);
    }

    /// <summary>
    /// The k best (image, position) pairs of a batch per unit, under the store's order.
    /// Column index i = image*HW + position already increases with the tie-break key (images
    /// come in sequence order), so ties at the k-th value are resolved by taking the lowest
    /// indices: everything above the k-th value, plus the first (k - above) equal to it.
    /// </summary>
    private (Tensor Values, Tensor Seqs, Tensor Positions) BatchTopK(Tensor flat, Tensor sequences, long hw)
    {
        long n = flat.shape[0], units = flat.shape[1];
        var byUnit = flat.permute(1, 0, 2).reshape(units, n * hw);
        Tensor columns;
        if (n * hw <= K)
        {
            columns = arange(n * hw, dtype: ScalarType.Int64, device: byUnit.device).unsqueeze(0).expand(units, n * hw);
        }
        else
        {
            var kth = byUnit.topk(K, dim: 1, largest: true, sorted: true).values.narrow(1, K - 1, 1);
            var above = byUnit.gt(kth);
            var needed = (long)K - above.sum(1, keepdim: true, type: ScalarType.Int64);
            var equal = byUnit.eq(kth);
            var chosen = above.logical_or(equal.logical_and(equal.cumsum(1, type: ScalarType.Int64).le(needed)));
            // Exactly K true per row; nonzero lists them row by row, columns ascending.
            columns = chosen.nonzero().select(1, 1).view(units, K);
        }
        var values = byUnit.gather(1, columns).t();
        var image = columns.div(hw, rounding_mode: RoundingMode.floor);
        var positions = columns.remainder(hw).t();
        var seqs = sequences.index_select(0, image.reshape(-1)).view(image.shape).t();
        return (values, seqs, positions);
    }

    /// <summary>The tap's current table, copied to managed memory.</summary>
    public TopKTable Snapshot(int tap) => _slots[tap].Snapshot();

    /// <summary>Replaces a tap's table (resuming from a state file).</summary>
    public void Load(int tap, TopKTable table) => _slots[tap].Load(table);

    public void Dispose()
    {
        foreach (var s in _slots) s.Dispose();
    }

    private sealed class Slot : IDisposable
    {
        private Tensor _values, _seqs, _positions;

        public Slot(TapSpec spec, Device device)
        {
            Spec = spec;
            Device = device;
            if (!spec.AllUnits)
                UnitIndex = tensor(spec.Units.Select(u => (long)u).ToArray(), device: device).DetachFromDisposeScope();
            (_values, _seqs, _positions) = EmptyTensors(spec.Units.Count);
        }

        public TapSpec Spec { get; }
        public Device Device { get; }
        public Tensor? UnitIndex { get; }

        private (Tensor, Tensor, Tensor) EmptyTensors(int units)
            => (empty(0, units, dtype: ScalarType.Float32, device: Device).DetachFromDisposeScope(),
                empty(0, units, dtype: ScalarType.Int64, device: Device).DetachFromDisposeScope(),
                empty(0, units, dtype: ScalarType.Int64, device: Device).DetachFromDisposeScope());

        public void Merge(Tensor values, Tensor seqs, Tensor positions, int k)
        {
            var v = cat(new[] { _values, values }, 0);
            var s = cat(new[] { _seqs, seqs }, 0);
            var p = cat(new[] { _positions, positions }, 0);
            long rows = v.shape[0];
            // 1) ascending key (sequence, position): unique per column, so any sort is exact;
            // 2) stable descending value keeps that order among equal values.
            var key = s.mul(Spec.Positions).add(p);
            var byKey = key.sort(0, descending: false, stable: true).Indices;
            v = v.gather(0, byKey); s = s.gather(0, byKey); p = p.gather(0, byKey);
            var byValue = v.sort(0, descending: true, stable: true).Indices;
            long keep = Math.Min(k, rows);
            var top = byValue.narrow(0, 0, keep);
            Replace(v.gather(0, top), s.gather(0, top), p.gather(0, top));
        }

        private void Replace(Tensor v, Tensor s, Tensor p)
        {
            _values.Dispose(); _seqs.Dispose(); _positions.Dispose();
            _values = v.contiguous().DetachFromDisposeScope();
            _seqs = s.contiguous().DetachFromDisposeScope();
            _positions = p.contiguous().DetachFromDisposeScope();
        }

        public TopKTable Snapshot()
        {
            int rows = (int)_values.shape[0];
            // TorchSharp 0.107's data<T>().ToArray() throws on an empty tensor (a scan whose every image was unreadable).
            if (rows == 0 || Spec.Units.Count == 0) return TopKTable.Empty(Spec.Units.Count);
            using var v = _values.cpu();
            using var s = _seqs.cpu();
            using var p = _positions.cpu();
            return new TopKTable(rows, Spec.Units.Count, v.data<float>().ToArray(), s.data<long>().ToArray(), p.data<long>().ToArray());
        }

        public void Load(TopKTable table)
        {
            if (table.UnitCount != Spec.Units.Count)
                throw new ArgumentException($"Table for layer '{Spec.Layer}' has {table.UnitCount} units, expected {Spec.Units.Count}.");
            long[] shape = { table.Rows, table.UnitCount };
            Replace(tensor(table.Values, shape).to(Device), tensor(table.Sequences, shape).to(Device), tensor(table.Positions, shape).to(Device));
        }

        public void Dispose()
        {
            _values.Dispose(); _seqs.Dispose(); _positions.Dispose();
            UnitIndex?.Dispose();
        }
    }
}

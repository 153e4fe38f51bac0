using System.Collections.Generic;
using System.Linq;
using Onnx;
using TorchSharp;
using static TorchSharp.torch;

namespace ConvViz.Engine.Import;

// Nodes whose inputs are all constants are evaluated at import time: exporters build
// reshape targets and weights this way (Shape -> Gather -> Unsqueeze -> Concat -> Reshape,
// Transpose of a weight). Only cheap, exact tensor arithmetic is folded.
internal sealed partial class OnnxOpTranslator
{
    private bool TryFold(NodeProto node, List<string> inputs, OnnxAttributes a)
    {
        Tensor In(int i) => _constants[inputs[i]];
        long[]? AxesInput(int i) => inputs.Count > i && inputs[i].Length > 0 ? In(i).data<long>().ToArray() : null;
        Tensor? result = node.OpType switch
        {
            "Identity" or "Dropout" => In(0).clone(),
            "Cast" => a.Int("to", 1) is 1 or 10 or 11 ? In(0).to_type(ScalarType.Float32) : In(0).to_type(ScalarType.Int64),
            "Shape" => tensor(In(0).shape),
            "Reshape" => In(0).reshape(ResolveConstantShape(In(0).shape, _opset < 5 ? a.Ints("shape")! : In(1).data<long>().ToArray())),
            "Flatten" => FoldFlatten(In(0), a.Int("axis", 1)),
            "Unsqueeze" => FoldUnsqueeze(In(0), _opset >= 13 ? AxesInput(1)! : a.Ints("axes")!),
            "Squeeze" => FoldSqueeze(In(0), _opset >= 13 ? AxesInput(1) : a.Ints("axes")),
            "Concat" => cat(inputs.Select(i => _constants[i]).ToList(), a.Int("axis", 0)),
            "Gather" => FoldGather(In(0), In(1), a.Int("axis", 0)),
            "Transpose" => In(0).permute(a.Ints("perm") ?? Enumerable.Range(0, (int)In(0).dim()).Reverse().Select(i => (long)i).ToArray()).contiguous(),
            "Add" => In(0) + In(1),
            "Sub" => In(0) - In(1),
            "Mul" => In(0) * In(1),
            "Div" => In(0).is_floating_point() || In(1).is_floating_point() ? In(0) / In(1) : In(0).div(In(1), RoundingMode.trunc),
            "Sqrt" => In(0).sqrt(),
            "Neg" => -In(0),
            _ => null,
        };
        if (result is null) return false;
        BindConstant(node.Output[0], result);
        return true;
    }

    private static long[] ResolveConstantShape(long[] inShape, long[] target)
    {
        var shape = target.Select((t, i) => t == 0 && i < inShape.Length ? inShape[i] : t).ToArray();
        return shape;
    }

    private static Tensor FoldFlatten(Tensor x, long axis)
    {
        axis = NormAxis(axis, x.dim());
        long outer = x.shape.Take((int)axis).Aggregate(1L, (p, d) => p * d);
        return x.reshape(outer, -1);
    }

    private static Tensor FoldUnsqueeze(Tensor x, long[] axes)
    {
        var s = x.shape.ToList();
        long rank = s.Count + axes.Length;
        foreach (var ax in axes.Select(ax => NormAxis(ax, rank)).OrderBy(v => v)) s.Insert((int)ax, 1);
        return x.reshape(s.ToArray());
    }

    private static Tensor FoldSqueeze(Tensor x, long[]? axes)
    {
        var drop = axes?.Select(ax => NormAxis(ax, x.dim())).ToHashSet();
        return x.reshape(x.shape.Where((d, i) => drop is null ? d != 1 : !drop.Contains(i)).ToArray());
    }

    private static Tensor FoldGather(Tensor data, Tensor indices, long axis)
    {
        axis = NormAxis(axis, data.dim());
        using var idx = indices.to_type(ScalarType.Int64);
        using var wrapped = torch.where(idx.lt(0), idx + data.shape[axis], idx);
        using var flat = wrapped.flatten();
        using var picked = data.index_select(axis, flat);
        var shape = data.shape.Take((int)axis).Concat(indices.shape).Concat(data.shape.Skip((int)axis + 1)).ToArray();
        return picked.reshape(shape);
    }
}

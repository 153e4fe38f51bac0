using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ConvViz.Engine.Graph;
using ConvViz.Engine.Graph.Ops;
using Onnx;
using static TorchSharp.torch;

namespace ConvViz.Engine.Import;

// The import budget. A few hundred bytes of ONNX can declare a 12000x12000 input, pad a
// feature map by 100000 pixels or broadcast two constants into a billion values, and the
// import runs every node once on an example: without a bound, the file decides how much
// memory the machine gives up. So the size of every tensor the import makes (examples and
// folded constants) is computed from shapes, pads and broadcasting before it is allocated,
// and the import refuses a file that would go over the budget, naming the node and the size.
internal sealed partial class OnnxOpTranslator
{
    private long _exampleElements;
    private long _constantElements;

    public long MaxTensorElements { get; init; } = OnnxImportOptions.DefaultMaxTensorElements;
    public long MaxTotalElements { get; init; } = OnnxImportOptions.DefaultMaxTotalElements;

    /// <summary>Throws when a tensor of <paramref name="shape"/> would break the budget.</summary>
    public static void CheckInput(string file, string input, long[] shape, long maxElements)
    {
        long n = Elements(shape);
        if (n > maxElements)
            throw new InvalidDataException($"'{file}': input '{input}' declares [{string.Join("x", shape)}], {n:N0} values ({Gib(n)}) per image, above the import budget of {maxElements:N0} values per tensor; a model that size cannot be imported.");
    }

    private void CheckExample(NodeProto source, GraphOp op, long[][] inputs)
    {
        long[] shape = op switch
        {
            PadOp p => new[] { inputs[0][0], inputs[0][1], inputs[0][2] + p.Top + p.Bottom, inputs[0][3] + p.Left + p.Right },
            Conv2dOp c => new[] { inputs[0][0], c.OutChannels, inputs[0][2] + c.Padding[0] + c.Padding[2] + 1, inputs[0][3] + c.Padding[1] + c.Padding[3] + 1 },
            LinearOp l => inputs[0][..^1].Append(l.Tensors[0].Value.shape[0]).ToArray(),
            AffineOp a => Broadcast(inputs.Concat(a.Tensors.Select(t => t.Value.shape)).ToArray()),
            _ => Broadcast(inputs),
        };
        long n = Elements(shape);
        if (n > MaxTensorElements || _exampleElements + n > MaxTotalElements)
            throw OverBudget(source, shape, n, _exampleElements);
        _exampleElements += n;
    }

    private void CheckFold(NodeProto node, List<string> inputs, OnnxAttributes a)
    {
        var shapes = inputs.Where(i => i.Length > 0).Select(i => _constants[i].shape).ToArray();
        long n = node.OpType switch
        {
            "Add" or "Sub" or "Mul" or "Div" => Elements(Broadcast(shapes)),
            "Concat" => shapes.Sum(Elements),
            "Gather" when shapes.Length == 2 && shapes[0].Length > 0 =>
                Elements(shapes[0]) / Math.Max(1, shapes[0][(int)NormAxis(a.Int("axis", 0), shapes[0].Length)]) * Elements(shapes[1]),
            _ => shapes.Select(Elements).DefaultIfEmpty(0).Max(),
        };
        if (n > MaxTensorElements || _constantElements + n > MaxTotalElements)
            throw OverBudget(node, null, n, _constantElements);
        _constantElements += n;
    }

    private InvalidDataException OverBudget(NodeProto node, long[]? shape, long n, long before)
        => new($"'{_file}': node '{NameOf(node)}' ({node.OpType}) would make a tensor of {(shape is null ? "" : "[" + string.Join("x", shape) + "], ")}{n:N0} values ({Gib(n)}), "
            + (n > MaxTensorElements
                ? $"above the import budget of {MaxTensorElements:N0} values per tensor"
                : $"which with the {before:N0} values already made goes above the import budget of {MaxTotalElements:N0} values")
            + "; the file is refused before anything that size is allocated.");

    private static string Gib(long n) => $"{n * 4.0 / (1L << 30):0.##} GiB as float32";

    // Saturating: a hostile shape must not overflow into a small number.
    private static long Elements(long[] shape)
    {
        long n = 1;
        foreach (var d in shape)
        {
            if (d < 0) return long.MaxValue;
            if (d != 0 && n > long.MaxValue / d) return long.MaxValue;
            n *= d;
        }
        return n;
    }

    // NumPy broadcasting of shapes (right-aligned; 1 stretches). Mismatches are left to the op itself.
    private static long[] Broadcast(IReadOnlyList<long[]> shapes)
    {
        int rank = shapes.Count == 0 ? 0 : shapes.Max(s => s.Length);
        var result = new long[rank];
        for (int i = 0; i < rank; i++)
        {
            long d = 1;
            foreach (var s in shapes)
            {
                int k = s.Length - rank + i;
                if (k < 0) continue;
                d = Math.Max(d, s[k]);
            }
            result[i] = d;
        }
        return result;
    }
}

using System;
using System.Collections.Generic;
using System.Linq;
using ConvViz.Engine.Graph;
using ConvViz.Engine.Graph.Ops;
using TorchSharp;
using Onnx;
using static TorchSharp.torch;

namespace ConvViz.Engine.Import;

// The operators whose value depends on the model input: one graph node each (a few need a helper node).
internal sealed partial class OnnxOpTranslator
{
    private void TranslateDynamic(NodeProto node, List<string> inputs, OnnxAttributes a)
    {
        string name = NameOf(node);
        string output = node.Output[0];
        int X() => NodeOf(inputs[0], node);
        switch (node.OpType)
        {
            case "Conv": Conv(node, inputs, a, name, output); break;
            case "BatchNormalization": BatchNorm(node, inputs, a, name, output); break;
            case "Relu": Emit(node, name, new ReluOp(), new[] { X() }, output: output); break;
            case "LeakyRelu": Emit(node, name, new ReluOp(a.Float("alpha", 0.01f)), new[] { X() }, output: output); break;
            case "PRelu":
            {
                var slope = Const(node, inputs[1], "slope");
                if (slope.numel() != 1 && !slope.flatten().allclose(slope.flatten()[0].expand(slope.numel())))
                    throw Unsupported(node, "only a single slope shared by all channels is supported");
                Emit(node, name, new ReluOp(slope.flatten()[0].ToSingle()), new[] { X() }, output: output);
                break;
            }
            case "Clip": Clip(node, inputs, a, name, output); break;
            case "MaxPool":
            {
                if (node.Output.Count > 1 && node.Output[1].Length > 0) throw Unsupported(node, "its Indices output is not supported");
                int x = X();
                var (kernel, stride, pads, dil) = Window(node, a, Shape(x), null);
                Emit(node, name, new MaxPoolOp(kernel, stride, pads, dil, a.Int("ceil_mode", 0) != 0), new[] { x }, output: output);
                break;
            }
            case "AveragePool":
            {
                int x = X();
                var (kernel, stride, pads, dil) = Window(node, a, Shape(x), null);
                if (dil.Any(d => d != 1)) throw Unsupported(node, "dilated average pooling is not supported");
                Emit(node, name, new AvgPoolOp(kernel, stride, pads, a.Int("ceil_mode", 0) != 0, a.Int("count_include_pad", 0) != 0), new[] { x }, output: output);
                break;
            }
            case "GlobalAveragePool":
                Require4D(node, X());
                Emit(node, name, new AdaptiveAvgPoolOp(1, 1), new[] { X() }, output: output);
                break;
            case "GlobalMaxPool":
            {
                int x = X();
                Require4D(node, x);
                var s = Shape(x);
                Emit(node, name, new MaxPoolOp(new[] { s[2], s[3] }, new long[] { 1, 1 }, new long[] { 0, 0 }), new[] { x }, output: output);
                break;
            }
            case "Add": case "Sub": case "Mul": case "Div": Arithmetic(node, inputs, name, output); break;
            case "Sum":
            {
                if (inputs.Any(IsConstant)) throw Unsupported(node, "constant terms in Sum are not supported");
                var xs = inputs.Select(i => NodeOf(i, node)).ToArray();
                Emit(node, name, xs.Length == 1 ? new IdentityOp("Sum") : new AddOp(), xs, output: output);
                break;
            }
            case "Concat":
            {
                if (inputs.Any(IsConstant)) throw Unsupported(node, "concatenating constants with model values is not supported");
                var xs = inputs.Select(i => NodeOf(i, node)).ToArray();
                long axis = NormAxis(a.Int("axis", 1), Shape(xs[0]).Length);
                if (axis == 0) throw Unsupported(node, "concatenation along the batch axis is not supported");
                Emit(node, name, new ConcatOp(axis), xs, output: output);
                break;
            }
            case "Flatten":
            {
                int x = X();
                var s = Shape(x);
                long axis = NormAxis(a.Int("axis", 1), s.Length);
                if (axis == 0) throw Unsupported(node, "Flatten with axis 0 merges the batch axis");
                long inner = s.Skip((int)axis).Aggregate(1L, (p, d) => p * d);
                long outer = s.Skip(1).Take((int)axis - 1).Aggregate(1L, (p, d) => p * d);
                var shape = axis == 1 ? new[] { inner } : new[] { outer, inner };
                Emit(node, name, new ReshapeOp(shape, "Flatten"), new[] { x }, prefix: "", output: output);
                break;
            }
            case "Reshape":
            {
                int x = X();
                long[] target = _opset < 5 || inputs.Count < 2
                    ? a.Ints("shape") ?? throw Unsupported(node, "it has no shape")
                    : Const(node, inputs[1], "shape").data<long>().ToArray();
                var perSample = PerSampleShape(node, Shape(x), target);
                Emit(node, name, new ReshapeOp(perSample, "Reshape", KeepsSpace(Shape(x), perSample)), new[] { x }, prefix: "", output: output);
                break;
            }
            case "Squeeze": case "Unsqueeze": SqueezeOrUnsqueeze(node, inputs, a, name, output); break;
            case "Gemm": Gemm(node, inputs, a, name, output); break;
            case "MatMul":
            {
                var b = Const(node, inputs[1], "second operand (the weight)");
                if (b.dim() != 2) throw Unsupported(node, $"only a 2-D constant weight is supported, got [{string.Join("x", b.shape)}]");
                Emit(node, name, new LinearOp(b.t().contiguous().to_type(ScalarType.Float32), null), new[] { X() }, output: output);
                break;
            }
            case "Dropout":
                if (node.Output.Count > 1 && node.Output[1].Length > 0) Unused(node.Output[1], node, "Dropout's mask output");
                Emit(node, name, new IdentityOp("Dropout"), new[] { X() }, prefix: "", output: output);
                break;
            case "Identity":
                Emit(node, name, new IdentityOp(), new[] { X() }, prefix: "", output: output);
                break;
            case "Cast":
                if (a.Int("to", 1) != 1) throw Unsupported(node, "casting model values to a type other than float is not supported");
                Emit(node, name, new IdentityOp("Cast"), new[] { X() }, prefix: "", output: output);
                break;
            case "LRN":
            {
                long size = a.Int("size", 0);
                // PyTorch and ONNX centre an even-sized window differently; odd sizes agree exactly.
                if (size <= 0 || size % 2 == 0) throw Unsupported(node, $"LRN size {size} is not a positive odd number");
                Emit(node, name, new LrnOp(size, a.Float("alpha", 1e-4f), a.Float("beta", 0.75f), a.Float("bias", 1f)), new[] { X() }, output: output);
                break;
            }
            case "Softmax": Softmax(node, a, X(), name, output); break;
            case "Sigmoid": Emit(node, name, new SigmoidOp(), new[] { X() }, output: output); break;
            case "HardSigmoid": Emit(node, name, new HardSigmoidOp(a.Float("alpha", 0.2f), a.Float("beta", 0.5f)), new[] { X() }, output: output); break;
            case "HardSwish": Emit(node, name, new HardSwishOp(), new[] { X() }, output: output); break;
            case "Tanh": Emit(node, name, new TanhOp(), new[] { X() }, output: output); break;
            case "Erf": Emit(node, name, new ErfOp(), new[] { X() }, output: output); break;
            case "Sqrt": Emit(node, name, new SqrtOp(), new[] { X() }, output: output); break;
            case "Neg": Emit(node, name, new AffineOp(tensor(-1f), null, "Negate"), new[] { X() }, prefix: "", output: output); break;
            case "Pow":
            {
                var e = Const(node, inputs[1], "exponent");
                if (e.numel() != 1) throw Unsupported(node, "only a single constant exponent is supported");
                Emit(node, name, new PowOp(e.to_type(ScalarType.Float64).flatten()[0].ToDouble()), new[] { X() }, output: output);
                break;
            }
            case "Transpose":
            {
                int x = X();
                int rank = Shape(x).Length;
                var perm = a.Ints("perm") ?? Enumerable.Range(0, rank).Reverse().Select(i => (long)i).ToArray();
                if (perm.Length != rank) throw Unsupported(node, $"Transpose of a model value: perm [{string.Join(",", perm)}] does not match its rank {rank}");
                if (perm[0] != 0) throw Unsupported(node, $"Transpose of a model value that moves the batch axis (perm [{string.Join(",", perm)}])");
                Emit(node, name, new TransposeOp(perm), new[] { x }, prefix: "", output: output);
                break;
            }
            case "ReduceMean": case "ReduceSum": case "ReduceMax": Reduce(node, inputs, a, name, output); break;
            case "LayerNormalization": LayerNorm(node, inputs, a, name, output); break;
            case "Pad": Pad(node, inputs, a, name, output); break;
            case "Split": Split(node, inputs, a, name); break;
            case "Slice": Slice(node, inputs, a, name, output); break;
            case "Resize": case "Upsample":
                throw Unsupported(node, $"{node.OpType} of a model value is not implemented (no torchvision classification family needs it)");
            case "ConvTranspose":
                throw Unsupported(node, "ConvTranspose of a model value is not implemented");
            default: throw Unsupported(node, null);
        }
    }

    /// <summary>
    /// Which factor of a product of two model values is the gate (see MulOp): the one computed
    /// from the other (squeeze-and-excitation, x * sigmoid(x), x * (1 + erf(x/√2))); failing that
    /// the broadcast one with fewer elements; -1 when neither.
    /// </summary>
    private int GateOf(int left, int right)
    {
        if (left == right) return -1;
        if (DependsOn(right, left)) return 1;
        if (DependsOn(left, right)) return 0;
        long nl = Shape(left).Aggregate(1L, (p, d) => p * d), nr = Shape(right).Aggregate(1L, (p, d) => p * d);
        return nl < nr ? 0 : nr < nl ? 1 : -1;
    }

    /// <summary>Whether <paramref name="node"/> is computed (directly or not) from <paramref name="ancestor"/>.</summary>
    private bool DependsOn(int node, int ancestor)
    {
        var seen = new HashSet<int>();
        var stack = new Stack<int>();
        stack.Push(node);
        while (stack.Count > 0)
        {
            int n = stack.Pop();
            if (n == ancestor) return true;
            if (n < ancestor || !seen.Add(n)) continue; // topological order: nothing before the ancestor depends on it
            foreach (var i in _graph[n].Inputs) stack.Push(i);
        }
        return false;
    }

    /// <summary>A reshape that keeps the last two axes (height and width) as they are, such as a channel shuffle's.</summary>
    private static bool KeepsSpace(long[] inShape, long[] perSample)
        => inShape.Length == 4 && perSample.Length >= 3 && perSample[^1] == inShape[3] && perSample[^2] == inShape[2];

    private void Reduce(NodeProto node, List<string> inputs, OnnxAttributes a, string name, string output)
    {
        int x = NodeOf(inputs[0], node);
        int rank = Shape(x).Length;
        // Axes moved from attribute to input in opset 13 for ReduceSum and in opset 18 for the others.
        bool axesInput = node.OpType == "ReduceSum" ? _opset >= 13 : _opset >= 18;
        long[]? axes = axesInput
            ? (inputs.Count > 1 && inputs[1].Length > 0 ? Const(node, inputs[1], "axes").data<long>().ToArray() : null)
            : a.Ints("axes");
        if (axes is null || axes.Length == 0)
        {
            if (axesInput && a.Int("noop_with_empty_axes", 0) != 0) { Emit(node, name, new IdentityOp(node.OpType), new[] { x }, prefix: "", output: output); return; }
            axes = Enumerable.Range(0, rank).Select(i => (long)i).ToArray();
        }
        axes = axes.Select(ax => NormAxis(ax, rank)).Distinct().ToArray();
        if (axes.Contains(0)) throw Unsupported(node, $"{node.OpType} of a model value over the batch axis");
        var kind = node.OpType switch { "ReduceMean" => ReduceKind.Mean, "ReduceSum" => ReduceKind.Sum, _ => ReduceKind.Max };
        Emit(node, name, new ReduceOp(kind, axes, a.Int("keepdims", 1) != 0), new[] { x }, prefix: "", output: output);
    }

    private void LayerNorm(NodeProto node, List<string> inputs, OnnxAttributes a, string name, string output)
    {
        int x = NodeOf(inputs[0], node);
        int rank = Shape(x).Length;
        long axis = NormAxis(a.Int("axis", -1), rank);
        if (axis == 0) throw Unsupported(node, "LayerNormalization over the batch axis");
        if (node.Output.Count > 1) for (int i = 1; i < node.Output.Count; i++) if (node.Output[i].Length > 0) Unused(node.Output[i], node, "LayerNormalization's mean and inverse std outputs");
        var normalized = Shape(x).Skip((int)axis).ToArray();
        var scale = Const(node, inputs[1], "scale").to_type(ScalarType.Float32).expand(normalized).contiguous();
        var bias = inputs.Count > 2 && inputs[2].Length > 0 ? Const(node, inputs[2], "bias").to_type(ScalarType.Float32).expand(normalized).contiguous() : null;
        Emit(node, name, new LayerNormOp(axis, scale, bias, a.Float("epsilon", 1e-5f)), new[] { x }, output: output);
    }

    private void Unused(string value, NodeProto node, string what)
        => _unusable[value] = $"{what} (from node '{NameOf(node)}')";

    private readonly Dictionary<string, string> _unusable = new(StringComparer.Ordinal);

    public string? WhyUnusable(string value) => _unusable.TryGetValue(value, out var why) ? why : null;

    private void Require4D(NodeProto node, int x)
    {
        if (Shape(x).Length != 4) throw Unsupported(node, $"it needs a batch x channels x height x width input, got rank {Shape(x).Length}");
    }

    private void Conv(NodeProto node, List<string> inputs, OnnxAttributes a, string name, string output)
    {
        int x = NodeOf(inputs[0], node);
        var w = Const(node, inputs[1], "weight");
        if (w.dim() != 4) throw Unsupported(node, $"only 2-D convolution is supported (weight of shape [{string.Join("x", w.shape)}])");
        Require4D(node, x);
        var b = inputs.Count > 2 ? Const(node, inputs[2], "bias") : null;
        long groups = a.Int("group", 1);
        var (_, stride, pads, dil) = Window(node, a, Shape(x), new[] { w.shape[2], w.shape[3] });
        Emit(node, name, new Conv2dOp(w.to_type(ScalarType.Float32), b?.to_type(ScalarType.Float32), stride, pads, dil, groups), new[] { x }, output: output);
    }

    /// <summary>Kernel, strides, [top, left, bottom, right] pads and dilations of a 2-D window op, auto_pad resolved.</summary>
    private (long[] Kernel, long[] Stride, long[] Pads, long[] Dilation) Window(NodeProto node, OnnxAttributes a, long[] inShape, long[]? kernelFromWeight)
    {
        var kernel = a.Ints("kernel_shape") ?? kernelFromWeight ?? throw Unsupported(node, "it has no kernel_shape");
        if (kernel.Length != 2 || inShape.Length != 4)
            throw Unsupported(node, $"only 2-D windows on batch x channels x height x width inputs are supported (kernel [{string.Join("x", kernel)}], input rank {inShape.Length})");
        var stride = a.Ints("strides") is { Length: 2 } s ? s : new long[] { 1, 1 };
        var dil = a.Ints("dilations") is { Length: 2 } d ? d : new long[] { 1, 1 };
        var autoPad = a.String("auto_pad", "NOTSET");
        long[] pads;
        switch (autoPad)
        {
            case "NOTSET" or "":
                pads = a.Ints("pads") ?? new long[4];
                if (pads.Length != 4) throw Unsupported(node, $"pads has {pads.Length} entries, expected 4");
                if (pads.Any(p => p < 0)) throw Unsupported(node, "negative pads are not supported");
                break;
            case "VALID":
                pads = new long[4];
                break;
            case "SAME_UPPER" or "SAME_LOWER":
                pads = new long[4];
                for (int i = 0; i < 2; i++)
                {
                    long size = inShape[2 + i];
                    long outSize = (size + stride[i] - 1) / stride[i];
                    long total = Math.Max(0, (outSize - 1) * stride[i] + (kernel[i] - 1) * dil[i] + 1 - size);
                    // SAME_UPPER puts the odd extra pixel at the end, SAME_LOWER at the beginning.
                    long small = total / 2, large = total - small;
                    pads[i] = autoPad == "SAME_UPPER" ? small : large;
                    pads[i + 2] = autoPad == "SAME_UPPER" ? large : small;
                }
                break;
            default:
                throw Unsupported(node, $"auto_pad '{autoPad}' is not one of NOTSET, VALID, SAME_UPPER, SAME_LOWER");
        }
        return (kernel, stride, pads, dil);
    }

    private void BatchNorm(NodeProto node, List<string> inputs, OnnxAttributes a, string name, string output)
    {
        if (inputs.Count != 5) throw Unsupported(node, $"it has {inputs.Count} inputs, expected X, scale, B, mean and var");
        int x = NodeOf(inputs[0], node);
        long channels = Shape(x)[1];
        var parts = new[] { "scale", "B", "mean", "var" }.Select((r, i) => Const(node, inputs[i + 1], r)).ToArray();
        // Opset < 9 allowed spatial=0 (statistics per position); those only reduce to ours when per channel.
        if (parts.Any(p => p.numel() != channels))
            throw Unsupported(node, $"its statistics are not per channel ({channels} channels, spatial={a.Int("spatial", 1)})");
        for (int i = 1; i < node.Output.Count; i++) if (node.Output[i].Length > 0) Unused(node.Output[i], node, "BatchNormalization's training output");
        var t = parts.Select(p => p.reshape(channels).to_type(ScalarType.Float32)).ToArray();
        Emit(node, name, new BatchNormOp(t[0], t[1], t[2], t[3], a.Float("epsilon", 1e-5f)), new[] { x }, output: output);
    }

    private void Clip(NodeProto node, List<string> inputs, OnnxAttributes a, string name, string output)
    {
        double min, max;
        if (_opset < 11)
        {
            min = a.Float("min", float.NegativeInfinity);
            max = a.Float("max", float.PositiveInfinity);
        }
        else
        {
            min = inputs.Count > 1 && inputs[1].Length > 0 ? Const(node, inputs[1], "min").ToSingle() : double.NegativeInfinity;
            max = inputs.Count > 2 && inputs[2].Length > 0 ? Const(node, inputs[2], "max").ToSingle() : double.PositiveInfinity;
        }
        int x = NodeOf(inputs[0], node);
        GraphOp op = min == 0 && double.IsPositiveInfinity(max) ? new ReluOp() : new ClipOp(min, max);
        Emit(node, name, op, new[] { x }, output: output);
    }

    private void Arithmetic(NodeProto node, List<string> inputs, string name, string output)
    {
        if (inputs.Count != 2) throw Unsupported(node, $"it has {inputs.Count} inputs, expected 2");
        bool c0 = IsConstant(inputs[0]), c1 = IsConstant(inputs[1]);
        string op = node.OpType;
        if (!c0 && !c1)
        {
            if (op == "Add") { Emit(node, name, new AddOp(), new[] { NodeOf(inputs[0], node), NodeOf(inputs[1], node) }, output: output); return; }
            if (op == "Sub")
            {
                // a - b = a + (-1) b: a negation node keeps every op linear with an exact adjoint.
                int neg = Emit(node, name + "/negate", new AffineOp(tensor(-1f), null, "Negate"), new[] { NodeOf(inputs[1], node) }, prefix: "");
                Emit(node, name, new AddOp(), new[] { NodeOf(inputs[0], node), neg }, output: output);
                return;
            }
            int l = NodeOf(inputs[0], node), r = NodeOf(inputs[1], node);
            if (op == "Mul") { Emit(node, name, new MulOp(GateOf(l, r)), new[] { l, r }, output: output); return; }
            Emit(node, name, new DivOp(), new[] { l, r }, output: output);
            return;
        }
        var c = Const(node, inputs[c0 ? 0 : 1], "operand").to_type(ScalarType.Float32);
        int x = NodeOf(inputs[c0 ? 1 : 0], node);
        AffineOp affine = (op, c0) switch
        {
            ("Add", _) => new AffineOp(null, c.clone(), "Add"),
            ("Sub", false) => new AffineOp(null, -c, "Sub"),
            ("Sub", true) => new AffineOp(tensor(-1f), c.clone(), "Sub"),
            ("Mul", _) => new AffineOp(c.clone(), null, "Mul"),
            ("Div", false) => new AffineOp(1f / c, null, "Div"),
            _ => throw Unsupported(node, "dividing a constant by a model value is not supported"),
        };
        Emit(node, name, affine, new[] { x }, prefix: "", output: output);
    }

    /// <summary>A Reshape target (batch axis included, 0 = copy, -1 = infer) as a per-sample shape; the batch axis must stay.</summary>
    private long[] PerSampleShape(NodeProto node, long[] inShape, long[] target)
    {
        if (target.Length == 0) throw Unsupported(node, "reshaping to a scalar drops the batch axis");
        long first = target[0];
        // Exports with a fixed batch of one write 1 there; ConvViz keeps the batch axis whatever its size.
        if (first is not (0 or -1 or 1)) throw Unsupported(node, $"reshape target [{string.Join(",", target)}] changes the batch axis");
        long perSample = inShape.Skip(1).Aggregate(1L, (p, d) => p * d);
        var shape = new long[target.Length - 1];
        int infer = -1;
        for (int i = 1; i < target.Length; i++)
        {
            long t = target[i];
            if (t == 0 && i < inShape.Length) t = inShape[i];
            if (t == -1) { if (infer >= 0) throw Unsupported(node, "the target has two -1 entries"); infer = i - 1; t = 1; }
            shape[i - 1] = t;
        }
        long known = shape.Aggregate(1L, (p, d) => p * d);
        if (infer >= 0) shape[infer] = known == 0 ? 0 : perSample / known;
        if (shape.Aggregate(1L, (p, d) => p * d) != perSample)
            throw Unsupported(node, $"reshape target [{string.Join(",", target)}] does not keep the batch axis of input [{string.Join("x", inShape)}]");
        return shape;
    }

    private void SqueezeOrUnsqueeze(NodeProto node, List<string> inputs, OnnxAttributes a, string name, string output)
    {
        int x = NodeOf(inputs[0], node);
        var s = Shape(x).ToList();
        long[]? axes = _opset >= 13 && inputs.Count > 1 ? Const(node, inputs[1], "axes").data<long>().ToArray() : a.Ints("axes");
        if (node.OpType == "Squeeze")
        {
            var drop = axes is null
                ? Enumerable.Range(1, s.Count - 1).Where(i => s[i] == 1).Select(i => (long)i).ToHashSet()
                : axes.Select(ax => NormAxis(ax, s.Count)).ToHashSet();
            if (drop.Contains(0)) throw Unsupported(node, "squeezing the batch axis is not supported");
            s = s.Where((_, i) => !drop.Contains(i)).ToList();
        }
        else
        {
            if (axes is null) throw Unsupported(node, "it has no axes");
            long rank = s.Count + axes.Length;
            foreach (var ax in axes.Select(ax => NormAxis(ax, rank)).OrderBy(v => v))
            {
                if (ax == 0) throw Unsupported(node, "a new leading axis would replace the batch axis");
                s.Insert((int)ax, 1);
            }
        }
        Emit(node, name, new ReshapeOp(s.Skip(1).ToArray(), node.OpType), new[] { x }, prefix: "", output: output);
    }

    private void Gemm(NodeProto node, List<string> inputs, OnnxAttributes a, string name, string output)
    {
        if (a.Int("transA", 0) != 0) throw Unsupported(node, "transA=1 (a transposed model value) is not supported");
        int x = NodeOf(inputs[0], node);
        var b = Const(node, inputs[1], "B (the weight)").to_type(ScalarType.Float32);
        if (b.dim() != 2) throw Unsupported(node, "B must be 2-D");
        // ConvViz's weight is out x in, ONNX's B is in x out unless transB.
        using var w0 = a.Int("transB", 0) != 0 ? b.clone() : b.t().contiguous();
        var weight = w0 * a.Float("alpha", 1f);
        long outFeatures = weight.shape[0];
        Tensor? bias = null;
        if (inputs.Count > 2)
        {
            var c = Const(node, inputs[2], "C (the bias)").to_type(ScalarType.Float32);
            if (c.numel() != outFeatures && c.numel() != 1) { weight.Dispose(); throw Unsupported(node, $"C of shape [{string.Join("x", c.shape)}] is not a per-output bias"); }
            bias = c.numel() == 1 ? full(outFeatures, c.flatten()[0].ToSingle() * a.Float("beta", 1f)) : c.reshape(outFeatures) * a.Float("beta", 1f);
        }
        Emit(node, name, new LinearOp(weight, bias), new[] { x }, output: output);
    }

    private void Softmax(NodeProto node, OnnxAttributes a, int x, string name, string output)
    {
        var s = Shape(x);
        int rank = s.Length;
        long axis = NormAxis(a.Int("axis", _opset >= 13 ? -1 : 1), rank);
        if (axis == 0) throw Unsupported(node, "softmax across the batch axis is not supported");
        if (_opset >= 13 || axis == rank - 1)
        {
            Emit(node, name, new SoftmaxOp(axis), new[] { x }, output: output);
            return;
        }
        // Before opset 13 Softmax treats the input as 2-D: every axis from `axis` on is one distribution.
        long outer = s.Skip(1).Take((int)axis - 1).Aggregate(1L, (p, d) => p * d);
        long inner = s.Skip((int)axis).Aggregate(1L, (p, d) => p * d);
        var flat = axis == 1 ? new[] { inner } : new[] { outer, inner };
        int f = Emit(node, name + "/flatten", new ReshapeOp(flat, "Flatten"), new[] { x }, prefix: "");
        int sm = Emit(node, name + "/softmax", new SoftmaxOp(flat.Length), new[] { f });
        Emit(node, name, new ReshapeOp(s.Skip(1).ToArray(), "Reshape"), new[] { sm }, prefix: "", output: output);
    }

    private void Pad(NodeProto node, List<string> inputs, OnnxAttributes a, string name, string output)
    {
        int x = NodeOf(inputs[0], node);
        var mode = a.String("mode", "constant");
        if (mode != "constant") throw Unsupported(node, $"pad mode '{mode}' is not supported (only constant)");
        long[] pads;
        double value;
        if (_opset < 11)
        {
            pads = a.Ints("pads") ?? a.Ints("paddings") ?? throw Unsupported(node, "it has no pads");
            value = a.Float("value", 0f);
        }
        else
        {
            pads = Const(node, inputs[1], "pads").data<long>().ToArray();
            value = inputs.Count > 2 && inputs[2].Length > 0 ? Const(node, inputs[2], "constant_value").to_type(ScalarType.Float64).ToDouble() : 0;
            if (inputs.Count > 3 && inputs[3].Length > 0)
            {
                // Opset 18 axes: expand to a full pads list.
                var axes = Const(node, inputs[3], "axes").data<long>().ToArray();
                int r = Shape(x).Length;
                var full = new long[2 * r];
                for (int i = 0; i < axes.Length; i++)
                {
                    long ax = NormAxis(axes[i], r);
                    full[ax] = pads[i]; full[ax + r] = pads[i + axes.Length];
                }
                pads = full;
            }
        }
        if (pads.Length != 8 || Shape(x).Length != 4) throw Unsupported(node, "only padding of batch x channels x height x width values is supported");
        if (pads[0] != 0 || pads[1] != 0 || pads[4] != 0 || pads[5] != 0) throw Unsupported(node, "only the height and width axes may be padded");
        if (pads.Any(p => p < 0)) throw Unsupported(node, "negative pads (cropping) are not supported");
        Emit(node, name, new PadOp(pads[2], pads[3], pads[6], pads[7], value), new[] { x }, prefix: "", output: output);
    }

    private void Split(NodeProto node, List<string> inputs, OnnxAttributes a, string name)
    {
        int x = NodeOf(inputs[0], node);
        var s = Shape(x);
        long axis = NormAxis(a.Int("axis", 0), s.Length);
        if (axis == 0) throw Unsupported(node, "splitting the batch axis is not supported");
        int n = node.Output.Count;
        long[]? sizes = _opset >= 13 && inputs.Count > 1 ? Const(node, inputs[1], "split").data<long>().ToArray() : a.Ints("split");
        if (sizes is null)
        {
            // Equal parts; from opset 18 the last may be smaller.
            long part = (s[axis] + n - 1) / n;
            sizes = Enumerable.Range(0, n).Select(i => Math.Min(part, s[axis] - i * part)).ToArray();
        }
        if (sizes.Length != n || sizes.Sum() != s[axis])
            throw Unsupported(node, $"split sizes [{string.Join(",", sizes)}] do not cover axis {axis} of size {s[axis]} in {n} outputs");
        long start = 0;
        for (int i = 0; i < n; i++)
        {
            if (node.Output[i].Length > 0)
                Emit(node, node.Output[i], new SliceOp(axis, start, sizes[i]), new[] { x }, prefix: "", output: node.Output[i]);
            start += sizes[i];
        }
    }

    private void Slice(NodeProto node, List<string> inputs, OnnxAttributes a, string name, string output)
    {
        int x = NodeOf(inputs[0], node);
        var s = Shape(x);
        long[] starts, ends, axes, steps;
        if (_opset < 10)
        {
            starts = a.Ints("starts") ?? throw Unsupported(node, "it has no starts");
            ends = a.Ints("ends") ?? throw Unsupported(node, "it has no ends");
            axes = a.Ints("axes") ?? Enumerable.Range(0, starts.Length).Select(i => (long)i).ToArray();
            steps = starts.Select(_ => 1L).ToArray();
        }
        else
        {
            starts = Const(node, inputs[1], "starts").data<long>().ToArray();
            ends = Const(node, inputs[2], "ends").data<long>().ToArray();
            axes = inputs.Count > 3 && inputs[3].Length > 0 ? Const(node, inputs[3], "axes").data<long>().ToArray() : Enumerable.Range(0, starts.Length).Select(i => (long)i).ToArray();
            steps = inputs.Count > 4 && inputs[4].Length > 0 ? Const(node, inputs[4], "steps").data<long>().ToArray() : starts.Select(_ => 1L).ToArray();
        }
        if (steps.Any(st => st != 1)) throw Unsupported(node, "only slices with step 1 are supported");
        int current = x;
        var pending = new List<(long Axis, long Start, long Length)>();
        for (int i = 0; i < starts.Length; i++)
        {
            long ax = NormAxis(axes[i], s.Length), dim = s[ax];
            long b = starts[i] < 0 ? starts[i] + dim : starts[i], e = ends[i] < 0 ? ends[i] + dim : ends[i];
            b = Math.Clamp(b, 0, dim); e = Math.Clamp(e, 0, dim);
            if (b == 0 && e == dim) continue;
            if (ax == 0) throw Unsupported(node, "slicing the batch axis is not supported");
            if (e <= b) throw Unsupported(node, $"the slice of axis {ax} is empty");
            pending.Add((ax, b, e - b));
        }
        if (pending.Count == 0) { Emit(node, name, new IdentityOp("Slice"), new[] { x }, prefix: "", output: output); return; }
        for (int i = 0; i < pending.Count; i++)
        {
            bool last = i == pending.Count - 1;
            current = Emit(node, last ? name : $"{name}/axis{pending[i].Axis}", new SliceOp(pending[i].Axis, pending[i].Start, pending[i].Length),
                new[] { current }, prefix: "", output: last ? output : null);
        }
    }
}

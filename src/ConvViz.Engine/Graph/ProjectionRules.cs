using System.Collections.Generic;

namespace ConvViz.Engine.Graph;

/// <summary>
/// The adjoint of every op under each projection rule, in one place (about_ConvViz_Models prints
/// the same table; a test keeps the two equal). The principles:
/// <list type="bullet">
/// <item>Gradient is the exact derivative of the forward pass everywhere.</item>
/// <item>Deconvnet and GuidedBackprop differ from Gradient only at the ReLU family (ReLU, LeakyReLU,
/// PRelu with one slope, Clip/ReLU6), at LRN (Deconvnet passes it through) and at gates.</item>
/// <item>Gates (a product of two model values where one is computed from the other, a divisor that
/// is a model value, LayerNorm's standard deviation): under Deconvnet and GuidedBackprop the gate's
/// value recorded on the forward pass is a fixed multiplier, as a max-pool switch is; the signal
/// reaches the gated operand only.</item>
/// <item>Max-pool and ReduceMax route the signal to the recorded arg-max under every rule.</item>
/// </list>
/// </summary>
public static class ProjectionRules
{
    /// <summary>(op kind, ONNX operators, Gradient, Deconvnet, GuidedBackprop).</summary>
    public static readonly IReadOnlyList<(string Kind, string Onnx, string Gradient, string Deconvnet, string Guided)> Table = new[]
    {
        ("Conv", "Conv", "transposed convolution", "same", "same"),
        ("Linear", "Gemm, MatMul", "signal x W", "same", "same"),
        ("BatchNorm", "BatchNormalization", "times scale / sqrt(var + eps)", "same", "same"),
        ("Affine", "Add, Sub, Mul, Div, Neg by a constant", "times the constant factor", "same", "same"),
        ("Add", "Add, Sub, Sum of model values", "signal to every operand", "same", "same"),
        ("ReLU", "Relu, LeakyRelu, PRelu", "signal x (x > 0) (slope below 0)", "relu(signal)", "relu(signal) x (x > 0)"),
        ("Clip", "Clip (ReLU6)", "signal x (min < x < max)", "relu(signal) when min >= 0", "relu(signal) x (min < x < max)"),
        ("MaxPool", "MaxPool, GlobalMaxPool", "to the recorded arg-max", "same", "same"),
        ("AvgPool", "AveragePool, GlobalAveragePool", "spread over the window", "same", "same"),
        ("LRN", "LRN", "exact derivative", "passed through unchanged", "exact derivative"),
        ("Softmax", "Softmax", "s x (signal - sum(signal x s))", "same", "same"),
        ("Sigmoid", "Sigmoid", "signal x s(1 - s)", "same", "same"),
        ("HardSigmoid", "HardSigmoid", "signal x alpha inside the ramp, 0 outside", "same", "same"),
        ("HardSwish", "HardSwish", "signal x (0 below -3, x/3 + 1/2 on [-3, 3], 1 above 3)", "same", "same"),
        ("Tanh", "Tanh", "signal x (1 - tanh^2)", "same", "same"),
        ("Erf", "Erf", "signal x 2/sqrt(pi) exp(-x^2)", "same", "same"),
        ("Pow", "Pow (constant exponent)", "signal x p x^(p-1)", "same", "same"),
        ("Sqrt", "Sqrt", "signal / (2 sqrt(x))", "same", "same"),
        ("Mul", "Mul of two model values", "product rule: signal x b to a, signal x a to b", "gate fixed: signal x gate to the other operand, nothing to the gate", "as Deconvnet"),
        ("Div", "Div of two model values", "signal / b to a, -signal x a / b^2 to b", "divisor fixed: signal / b to a, nothing to b", "as Deconvnet"),
        ("LayerNorm", "LayerNormalization", "exact derivative", "std fixed: (g - mean(g)) / std, g = signal x scale", "as Deconvnet"),
        ("ReduceMean", "ReduceMean", "signal / n spread over the reduced axes", "same", "same"),
        ("ReduceSum", "ReduceSum", "signal spread over the reduced axes", "same", "same"),
        ("ReduceMax", "ReduceMax", "to the recorded arg-max", "same", "same"),
        ("Transpose", "Transpose", "inverse permutation", "same", "same"),
        ("Reshape", "Reshape, Flatten, Squeeze, Unsqueeze", "reshape back", "same", "same"),
        ("Concat", "Concat", "split the signal", "same", "same"),
        ("Slice", "Slice, Split", "signal in place, zeros elsewhere", "same", "same"),
        ("Pad", "Pad (constant)", "crop", "same", "same"),
        ("ChannelOrder", "(declared BGR input)", "inverse channel permutation", "same", "same"),
        ("Identity", "Identity, Dropout, Cast", "unchanged", "same", "same"),
    };
}

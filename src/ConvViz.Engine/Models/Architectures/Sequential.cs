using System.Collections.Generic;

namespace ConvViz.Engine.Models.Architectures;

/// <summary>
/// torchvision's "features / classifier" style: module indices count up as layers are
/// added, so parameter names come out as features.0.weight, classifier.1.bias, ...
/// Used by zfnet, alexnet and vgg16.
/// </summary>
internal sealed class Sequential
{
    private readonly NetworkBuilder _net;
    private readonly string _prefix;
    private int _index;

    public Sequential(NetworkBuilder net, string prefix) { _net = net; _prefix = prefix; }

    private string Next() => $"{_prefix}.{_index++}";

    public int Conv(int x, long cin, long cout, long k, long s = 1, long p = 0) => _net.Conv(Next(), x, cin, cout, k, s, p);
    public int Relu(int x) => _net.Relu(Next(), x);
    public int MaxPool(int x, long k, long s, long p = 0, bool ceil = false) => _net.MaxPool(Next(), x, k, s, p, ceil);
    public int Lrn(int x) => _net.Lrn(Next(), x);
    public int Linear(int x, long fin, long fout) => _net.Linear(Next(), x, fin, fout);
    public int Dropout(int x) => _net.Dropout(Next(), x);

    /// <summary>Conv, ReLU and an optional max-pool, registered as one user-facing layer named after the conv.</summary>
    public int ConvLayer(string layer, int x, long cin, long cout, long k, long s, long p, bool pool, bool lrn = false, bool ceilPool = false)
    {
        var moduleName = $"{_prefix}.{_index}";
        int conv = Conv(x, cin, cout, k, s, p);
        int relu = Relu(conv);
        int y = relu;
        int? pooled = null;
        if (pool) { y = MaxPool(y, 3, 2, 0, ceilPool); pooled = y; }
        if (lrn) y = Lrn(y);
        _net.Layer(layer, "Conv", conv, relu, pooled, moduleName);
        return y;
    }

    public int LinearLayer(string layer, int x, long fin, long fout, bool relu, bool dropoutBefore, bool dropoutAfter = false)
    {
        if (dropoutBefore) x = Dropout(x);
        var moduleName = $"{_prefix}.{_index}";
        int fc = Linear(x, fin, fout);
        int y = fc;
        if (relu) y = Relu(fc);
        _net.Layer(layer, "Linear", fc, y, null, moduleName);
        if (dropoutAfter) y = Dropout(y);
        return y;
    }
}

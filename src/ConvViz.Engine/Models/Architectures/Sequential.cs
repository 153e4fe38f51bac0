namespace ConvViz.Engine.Models.Architectures;

/// <summary>
/// torchvision's "features / classifier" style: module indices count up as layers are
/// added, so parameter names come out as features.0.weight, classifier.1.bias, ... and each
/// index is also registered as a module output (features.10 is exactly that module's output).
/// Used by zfnet, alexnet and the vggs.
/// </summary>
internal sealed class Sequential
{
    private readonly NetworkBuilder _net;
    private readonly string _prefix;
    private int _index;

    public Sequential(NetworkBuilder net, string prefix) { _net = net; _prefix = prefix; }

    private string Next() => $"{_prefix}.{_index++}";

    private int Add(System.Func<string, int> add) { var name = Next(); return _net.Module(name, add(name)); }

    public int Conv(int x, long cin, long cout, long k, long s = 1, long p = 0) => Add(n => _net.Conv(n, x, cin, cout, k, s, p));
    public int BatchNorm(int x, long channels) => Add(n => _net.BatchNorm(n, x, channels));
    public int Relu(int x) => Add(n => _net.Relu(n, x));
    public int MaxPool(int x, long k, long s, long p = 0, bool ceil = false) => Add(n => _net.MaxPool(n, x, k, s, p, ceil));
    public int Lrn(int x) => Add(n => _net.Lrn(n, x));
    public int Linear(int x, long fin, long fout) => Add(n => _net.Linear(n, x, fin, fout));
    public int Dropout(int x) => Add(n => _net.Dropout(n, x));

    /// <summary>
    /// Conv (with batch-norm when <paramref name="batchNorm"/>), ReLU and an optional
    /// <paramref name="poolKernel"/> x <paramref name="poolKernel"/> max-pool at stride
    /// <paramref name="poolStride"/>, registered as one ConvViz layer named <paramref name="layer"/>.
    /// </summary>
    public int ConvLayer(string layer, int x, long cin, long cout, long k, long s, long p,
        long poolKernel = 0, long poolStride = 0, bool lrn = false, bool ceilPool = false, bool batchNorm = false)
    {
        int conv = Conv(x, cin, cout, k, s, p);
        int pre = batchNorm ? BatchNorm(conv, cout) : conv;
        int relu = Relu(pre);
        int y = relu;
        int? pooled = null;
        if (poolKernel > 0) { y = MaxPool(y, poolKernel, poolStride, 0, ceilPool); pooled = y; }
        if (lrn) y = Lrn(y);
        _net.Layer(layer, "Conv", pre, relu, pooled);
        return y;
    }

    public int LinearLayer(string layer, int x, long fin, long fout, bool relu, bool dropoutBefore, bool dropoutAfter = false)
    {
        if (dropoutBefore) x = Dropout(x);
        int fc = Linear(x, fin, fout);
        int y = fc;
        if (relu) y = Relu(fc);
        _net.Layer(layer, "Linear", fc, y, null);
        if (dropoutAfter) y = Dropout(y);
        return y;
    }
}

namespace ConvViz.Engine.Models.Architectures;

/// <summary>
/// torchvision.models.resnet18/34/50/101/152, module for module: conv1/bn1/relu/maxpool, four
/// stages of BasicBlocks (18, 34) or Bottlenecks (50, 101, 152; stride on the 3x3 conv as in
/// torchvision's "ResNet v1.5"), avgpool, fc.
/// ConvViz layers: conv1, layerS.B.conv1/conv2[/conv3]/downsample (the conv with its batch-norm,
/// then its ReLU where it has one of its own), the blocks layerS.B and the stages layerS.
/// Module outputs: bn1, relu, maxpool, avgpool, layerS.B.bnK, layerS.B.downsample.0/1.
/// </summary>
internal static class ResNet
{
    public static (int[] Blocks, bool Bottleneck) Config(int depth) => depth switch
    {
        18 => (new[] { 2, 2, 2, 2 }, false),
        34 => (new[] { 3, 4, 6, 3 }, false),
        50 => (new[] { 3, 4, 6, 3 }, true),
        101 => (new[] { 3, 4, 23, 3 }, true),
        152 => (new[] { 3, 8, 36, 3 }, true),
        _ => throw new System.ArgumentOutOfRangeException(nameof(depth)),
    };

    public static void Define(NetworkBuilder net, int depth)
    {
        var (blocks, bottleneck) = Config(depth);
        long expansion = bottleneck ? 4 : 1;
        int x = net.Normalize(net.Graph.Input);
        int conv = net.Module("conv1", net.Conv("conv1", x, 3, 64, 7, 2, 3, bias: false));
        int bn = net.Module("bn1", net.BatchNorm("bn1", conv, 64));
        int relu = net.Module("relu", net.Relu("relu", bn));
        int pool = net.Module("maxpool", net.MaxPool("maxpool", relu, 3, 2, 1));
        net.Layer("conv1", "Conv", bn, relu, pool);
        x = pool;
        long cin = 64;
        long[] planes = { 64, 128, 256, 512 };
        for (int s = 0; s < 4; s++)
        {
            int pre = 0, act = 0;
            for (int b = 0; b < blocks[s]; b++)
            {
                long stride = s > 0 && b == 0 ? 2 : 1;
                var name = $"layer{s + 1}.{b}";
                (x, pre, act) = bottleneck
                    ? Bottleneck(net, name, x, cin, planes[s], stride)
                    : BasicBlock(net, name, x, cin, planes[s], stride);
                cin = planes[s] * expansion;
            }
            net.Group($"layer{s + 1}", "Stage", pre, act);
        }
        x = net.Module("avgpool", net.AdaptiveAvgPool("avgpool", x, 1));
        x = net.Flatten("flatten", x, 512 * expansion);
        int fc = net.Module("fc", net.Linear("fc", x, 512 * expansion, 1000));
        net.Layer("fc", "Linear", fc, fc);
    }

    /// <summary>conv-bn (-relu) as one ConvViz layer named after the conv.</summary>
    private static (int Bn, int Out) ConvBn(NetworkBuilder net, string block, int k, int x, long cin, long cout, long kernel, long stride, bool relu)
    {
        int c = net.Module($"{block}.conv{k}", net.Conv($"{block}.conv{k}", x, cin, cout, kernel, stride, kernel / 2, bias: false));
        int b = net.Module($"{block}.bn{k}", net.BatchNorm($"{block}.bn{k}", c, cout));
        int r = relu ? net.Relu($"{block}.relu{k}", b) : b;
        net.Layer($"{block}.conv{k}", "Conv", b, r);
        return (b, r);
    }

    private static int Shortcut(NetworkBuilder net, string name, int x, long cin, long cout, long stride)
    {
        if (stride == 1 && cin == cout) return x;
        int dc = net.Module($"{name}.downsample.0", net.Conv($"{name}.downsample.0", x, cin, cout, 1, stride, 0, bias: false));
        int shortcut = net.Module($"{name}.downsample.1", net.BatchNorm($"{name}.downsample.1", dc, cout));
        net.Layer($"{name}.downsample", "Conv", shortcut, shortcut);
        return shortcut;
    }

    private static (int Output, int Pre, int Act) BasicBlock(NetworkBuilder net, string name, int x, long cin, long cout, long stride)
    {
        var (_, r1) = ConvBn(net, name, 1, x, cin, cout, 3, stride, relu: true);
        var (b2, _) = ConvBn(net, name, 2, r1, cout, cout, 3, 1, relu: false);
        int shortcut = Shortcut(net, name, x, cin, cout, stride);
        int add = net.Add($"{name}.add", b2, shortcut);
        int relu = net.Relu($"{name}.relu2", add);
        net.Group(name, "Block", add, relu);
        return (relu, add, relu);
    }

    private static (int Output, int Pre, int Act) Bottleneck(NetworkBuilder net, string name, int x, long cin, long planes, long stride)
    {
        long cout = planes * 4;
        var (_, r1) = ConvBn(net, name, 1, x, cin, planes, 1, 1, relu: true);
        var (_, r2) = ConvBn(net, name, 2, r1, planes, planes, 3, stride, relu: true);
        var (b3, _) = ConvBn(net, name, 3, r2, planes, cout, 1, 1, relu: false);
        int shortcut = Shortcut(net, name, x, cin, cout, stride);
        int add = net.Add($"{name}.add", b3, shortcut);
        int relu = net.Relu($"{name}.relu3", add);
        net.Group(name, "Block", add, relu);
        return (relu, add, relu);
    }
}

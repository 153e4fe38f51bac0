namespace ConvViz.Engine.Models.Architectures;

/// <summary>
/// torchvision.models.resnet18: conv1/bn1/relu/maxpool, four stages of two BasicBlocks
/// (conv1, bn1, relu, conv2, bn2, optional downsample.0/1, add, relu), avgpool, fc.
/// Layers: conv1, layerS.B.conv1/conv2/downsample, the blocks layerS.B and the stages layerS.
/// </summary>
internal static class ResNet18
{
    public static ConvModel Create(long seed)
    {
        var net = new NetworkBuilder(seed, InputSpec.Torchvision);
        int x = net.Normalize(net.Graph.Input);
        int conv = net.Conv("conv1", x, 3, 64, 7, 2, 3, bias: false);
        int bn = net.BatchNorm("bn1", conv, 64);
        int relu = net.Relu("relu", bn);
        int pool = net.MaxPool("maxpool", relu, 3, 2, 1);
        net.Layer("conv1", "Conv", bn, relu, pool);
        x = pool;
        long cin = 64;
        long[] widths = { 64, 128, 256, 512 };
        for (int s = 0; s < 4; s++)
        {
            int pre = 0, act = 0;
            for (int b = 0; b < 2; b++)
            {
                long stride = s > 0 && b == 0 ? 2 : 1;
                (x, pre, act) = BasicBlock(net, $"layer{s + 1}.{b}", x, cin, widths[s], stride);
                cin = widths[s];
            }
            net.Group($"layer{s + 1}", "Stage", pre, act);
        }
        x = net.AdaptiveAvgPool("avgpool", x, 1);
        x = net.Flatten("flatten", x, 512);
        int fc = net.Linear("fc", x, 512, 1000);
        net.Layer("fc", "Linear", fc, fc);
        return net.Build("resnet18", $"architecture:resnet18 (random, seed {seed})", ImageNetClasses.Names);
    }

    private static (int Output, int Pre, int Act) BasicBlock(NetworkBuilder net, string name, int x, long cin, long cout, long stride)
    {
        int c1 = net.Conv($"{name}.conv1", x, cin, cout, 3, stride, 1, bias: false);
        int b1 = net.BatchNorm($"{name}.bn1", c1, cout);
        int r1 = net.Relu($"{name}.relu1", b1);
        net.Layer($"{name}.conv1", "Conv", b1, r1);
        int c2 = net.Conv($"{name}.conv2", r1, cout, cout, 3, 1, 1, bias: false);
        int b2 = net.BatchNorm($"{name}.bn2", c2, cout);
        net.Layer($"{name}.conv2", "Conv", b2, b2);
        int shortcut = x;
        if (stride != 1 || cin != cout)
        {
            int dc = net.Conv($"{name}.downsample.0", x, cin, cout, 1, stride, 0, bias: false);
            shortcut = net.BatchNorm($"{name}.downsample.1", dc, cout);
            net.Layer($"{name}.downsample", "Conv", shortcut, shortcut);
        }
        int add = net.Add($"{name}.add", b2, shortcut);
        int relu = net.Relu($"{name}.relu2", add);
        net.Group(name, "Block", add, relu);
        return (relu, add, relu);
    }
}

namespace ConvViz.Engine.Models.Architectures;

/// <summary>torchvision.models.vgg16 (configuration D, no batch-norm); layers named conv1_1 ... conv5_3, fc6 ... fc8.</summary>
internal static class Vgg16
{
    private static readonly int[][] Blocks = { new[] { 64, 64 }, new[] { 128, 128 }, new[] { 256, 256, 256 }, new[] { 512, 512, 512 }, new[] { 512, 512, 512 } };

    public static ConvModel Create(long seed)
    {
        var net = new NetworkBuilder(seed, InputSpec.Torchvision);
        var f = new Sequential(net, "features");
        int x = net.Normalize(net.Graph.Input);
        long cin = 3;
        for (int b = 0; b < Blocks.Length; b++)
        {
            for (int i = 0; i < Blocks[b].Length; i++)
            {
                bool last = i == Blocks[b].Length - 1;
                x = f.ConvLayer($"conv{b + 1}_{i + 1}", x, cin, Blocks[b][i], 3, 1, 1, pool: last);
                cin = Blocks[b][i];
            }
        }
        x = net.AdaptiveAvgPool("avgpool", x, 7);
        x = net.Flatten("flatten", x, 512 * 7 * 7);
        var c = new Sequential(net, "classifier");
        x = c.LinearLayer("fc6", x, 512 * 7 * 7, 4096, relu: true, dropoutBefore: false, dropoutAfter: true);
        x = c.LinearLayer("fc7", x, 4096, 4096, relu: true, dropoutBefore: false, dropoutAfter: true);
        c.LinearLayer("fc8", x, 4096, 1000, relu: false, dropoutBefore: false);
        return net.Build("vgg16", $"architecture:vgg16 (random, seed {seed})", ImageNetClasses.Names);
    }
}

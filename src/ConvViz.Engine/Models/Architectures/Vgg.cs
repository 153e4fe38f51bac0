namespace ConvViz.Engine.Models.Architectures;

/// <summary>
/// torchvision.models.vgg11/13/16/19 and their _bn variants, module for module: each conv is
/// 3x3 padding 1 (followed by BatchNorm2d in the _bn variants) and ReLU; each block ends in a
/// 2x2 max-pool at stride 2 (224 -> 112 -> 56 -> 28 -> 14 -> 7); avgpool to 7x7; classifier
/// Linear, ReLU, Dropout, Linear, ReLU, Dropout, Linear. ConvViz layers: convB_I (block B,
/// conv I; pre-activation after batch-norm where there is one), fc6 ... fc8.
/// </summary>
internal static class Vgg
{
    /// <summary>Convs per block: configurations A, B, D and E of Simonyan and Zisserman (2015).</summary>
    public static int[] Config(int depth) => depth switch
    {
        11 => new[] { 1, 1, 2, 2, 2 },
        13 => new[] { 2, 2, 2, 2, 2 },
        16 => new[] { 2, 2, 3, 3, 3 },
        19 => new[] { 2, 2, 4, 4, 4 },
        _ => throw new System.ArgumentOutOfRangeException(nameof(depth)),
    };

    private static readonly long[] Widths = { 64, 128, 256, 512, 512 };

    public static void Define(NetworkBuilder net, int depth, bool batchNorm)
    {
        var blocks = Config(depth);
        var f = new Sequential(net, "features");
        int x = net.Normalize(net.Graph.Input);
        long cin = 3;
        for (int b = 0; b < blocks.Length; b++)
        {
            for (int i = 0; i < blocks[b]; i++)
            {
                bool last = i == blocks[b] - 1;
                x = f.ConvLayer($"conv{b + 1}_{i + 1}", x, cin, Widths[b], 3, 1, 1,
                    poolKernel: last ? 2 : 0, poolStride: 2, batchNorm: batchNorm);
                cin = Widths[b];
            }
        }
        net.Module("features", x);
        x = net.Module("avgpool", net.AdaptiveAvgPool("avgpool", x, 7));
        x = net.Flatten("flatten", x, 512 * 7 * 7);
        var c = new Sequential(net, "classifier");
        x = c.LinearLayer("fc6", x, 512 * 7 * 7, 4096, relu: true, dropoutBefore: false, dropoutAfter: true);
        x = c.LinearLayer("fc7", x, 4096, 4096, relu: true, dropoutBefore: false, dropoutAfter: true);
        net.Module("classifier", c.LinearLayer("fc8", x, 4096, 1000, relu: false, dropoutBefore: false));
    }
}

namespace ConvViz.Engine.Models.Architectures;

/// <summary>torchvision.models.alexnet: same module indices, so its state dict loads by name.</summary>
internal static class AlexNet
{
    public static ConvModel Create(long seed)
    {
        var net = new NetworkBuilder(seed, InputSpec.Torchvision);
        var f = new Sequential(net, "features");
        int x = net.Normalize(net.Graph.Input);
        x = f.ConvLayer("conv1", x, 3, 64, 11, 4, 2, pool: true);
        x = f.ConvLayer("conv2", x, 64, 192, 5, 1, 2, pool: true);
        x = f.ConvLayer("conv3", x, 192, 384, 3, 1, 1, pool: false);
        x = f.ConvLayer("conv4", x, 384, 256, 3, 1, 1, pool: false);
        x = f.ConvLayer("conv5", x, 256, 256, 3, 1, 1, pool: true);
        x = net.AdaptiveAvgPool("avgpool", x, 6);
        x = net.Flatten("flatten", x, 256 * 6 * 6);
        var c = new Sequential(net, "classifier");
        x = c.LinearLayer("fc6", x, 256 * 6 * 6, 4096, relu: true, dropoutBefore: true);
        x = c.LinearLayer("fc7", x, 4096, 4096, relu: true, dropoutBefore: true);
        c.LinearLayer("fc8", x, 4096, 1000, relu: false, dropoutBefore: false);
        return net.Build("alexnet", $"architecture:alexnet (random, seed {seed})", ImageNetClasses.Names);
    }
}

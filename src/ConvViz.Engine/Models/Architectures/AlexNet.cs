namespace ConvViz.Engine.Models.Architectures;

/// <summary>
/// torchvision.models.alexnet, module for module (features.0 ... features.12 with 3x3/2 pools,
/// avgpool to 6x6, classifier.0 ... classifier.6), so its state dict loads by name.
/// ConvViz layers: conv1 ... conv5, fc6 ... fc8.
/// </summary>
internal static class AlexNet
{
    public static void Define(NetworkBuilder net)
    {
        var f = new Sequential(net, "features");
        int x = net.Normalize(net.Graph.Input);
        x = f.ConvLayer("conv1", x, 3, 64, 11, 4, 2, poolKernel: 3, poolStride: 2);
        x = f.ConvLayer("conv2", x, 64, 192, 5, 1, 2, poolKernel: 3, poolStride: 2);
        x = f.ConvLayer("conv3", x, 192, 384, 3, 1, 1);
        x = f.ConvLayer("conv4", x, 384, 256, 3, 1, 1);
        x = f.ConvLayer("conv5", x, 256, 256, 3, 1, 1, poolKernel: 3, poolStride: 2);
        net.Module("features", x);
        x = net.Module("avgpool", net.AdaptiveAvgPool("avgpool", x, 6));
        x = net.Flatten("flatten", x, 256 * 6 * 6);
        var c = new Sequential(net, "classifier");
        x = c.LinearLayer("fc6", x, 256 * 6 * 6, 4096, relu: true, dropoutBefore: true);
        x = c.LinearLayer("fc7", x, 4096, 4096, relu: true, dropoutBefore: true);
        net.Module("classifier", c.LinearLayer("fc8", x, 4096, 1000, relu: false, dropoutBefore: false));
    }
}

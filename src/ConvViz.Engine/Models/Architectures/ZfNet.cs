namespace ConvViz.Engine.Models.Architectures;

/// <summary>
/// Zeiler and Fergus (2014), Figure 3: 224x224x3 input; layer 1 has 96 7x7 filters at
/// stride 2, then ReLU, 3x3 max-pool at stride 2 and local contrast normalisation; layer 2
/// has 256 5x5 filters at stride 2; layers 3 to 5 are 3x3. Feature maps
/// 110x110x96, 55x55x96, 26x26x256, 13x13x256, 13x13x384, 13x13x384, 13x13x256, 6x6x256,
/// then 4096, 4096 and 1000 units. Pools round up (Caffe's convention), which is what gives
/// 55, 13 and 6. Module and parameter names follow torchvision's AlexNet layout
/// (features.N, classifier.N); there is no avgpool.
/// </summary>
internal static class ZfNet
{
    public static void Define(NetworkBuilder net)
    {
        var f = new Sequential(net, "features");
        int x = net.Normalize(net.Graph.Input);
        x = f.ConvLayer("conv1", x, 3, 96, 7, 2, 1, poolKernel: 3, poolStride: 2, lrn: true, ceilPool: true);
        x = f.ConvLayer("conv2", x, 96, 256, 5, 2, 0, poolKernel: 3, poolStride: 2, lrn: true, ceilPool: true);
        x = f.ConvLayer("conv3", x, 256, 384, 3, 1, 1);
        x = f.ConvLayer("conv4", x, 384, 384, 3, 1, 1);
        x = f.ConvLayer("conv5", x, 384, 256, 3, 1, 1, poolKernel: 3, poolStride: 2, ceilPool: true);
        net.Module("features", x);
        x = net.Flatten("flatten", x, 256 * 6 * 6);
        var c = new Sequential(net, "classifier");
        x = c.LinearLayer("fc6", x, 256 * 6 * 6, 4096, relu: true, dropoutBefore: true);
        x = c.LinearLayer("fc7", x, 4096, 4096, relu: true, dropoutBefore: true);
        net.Module("classifier", c.LinearLayer("fc8", x, 4096, 1000, relu: false, dropoutBefore: false));
    }
}

using static TorchSharp.torch;

namespace ConvViz.Engine.Tensors;

/// <summary>Channels-last (NHWC strides) for N x C x H x W tensors: TorchSharp 0.107 has no memory_format.</summary>
public static class MemoryLayout
{
    /// <summary>The tensor with channels-last strides (a copy): permute, contiguous, permute back.</summary>
    public static Tensor ChannelsLast(Tensor x) => x.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2);

    /// <summary>Whether channels are the innermost dimension (channels-last strides).</summary>
    public static bool IsChannelsInnermost(Tensor x) => x.dim() == 4 && x.shape[1] > 1 && x.stride(1) == 1;
}

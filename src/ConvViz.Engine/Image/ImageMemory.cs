using System.Runtime.CompilerServices;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Memory;

namespace ConvViz.Engine.Image;

/// <summary>
/// Bounds the buffers ImageSharp keeps for reuse. Its default pool may retain a share of
/// physical memory, and a scan that decodes thousands of photos of varied sizes would see
/// its resident memory climb with the number of images instead of staying flat. The engine
/// loads in its own context, so this changes only ConvViz's copy of ImageSharp.
/// </summary>
public static class ImageMemory
{
    public const int PoolMegabytes = 32;

#pragma warning disable CA2255 // must hold before the first image is decoded, whoever decodes it
    [ModuleInitializer]
    internal static void Configure()
        => Configuration.Default.MemoryAllocator = MemoryAllocator.Create(new MemoryAllocatorOptions { MaximumPoolSizeMegabytes = PoolMegabytes });
#pragma warning restore CA2255
}

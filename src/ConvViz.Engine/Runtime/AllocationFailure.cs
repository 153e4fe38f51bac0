using System;
using System.Runtime.InteropServices;

namespace ConvViz.Engine.Runtime;

/// <summary>
/// Recognises a failed tensor allocation (libtorch reports it as an ExternalException whose
/// message says "can't allocate memory", "not enough memory" or "CUDA out of memory") and turns
/// it into an <see cref="InsufficientMemoryException"/> that names the batch and the fix.
/// </summary>
public static class AllocationFailure
{
    public static bool Is(Exception e)
        => e is OutOfMemoryException or InsufficientMemoryException
           || (e is ExternalException && FirstLine(e.Message) is var m
               && (m.Contains("alloc", StringComparison.OrdinalIgnoreCase)
                   || m.Contains("out of memory", StringComparison.OrdinalIgnoreCase)
                   || m.Contains("not enough memory", StringComparison.OrdinalIgnoreCase)));

    // libtorch appends a C++ backtrace whose signatures name std::allocator: only its first line says what failed.
    private static string FirstLine(string message) => message.Split('\n')[0];

    /// <summary>The exception to throw for an allocation failure in a batch of <paramref name="images"/> images.</summary>
    public static InsufficientMemoryException ForBatch(Exception e, int images, int batchSize, string device)
    {
        var native = e.Message.Split('\n')[0].Trim();
        if (native.Length > 200) native = native[..200] + "...";
        var hint = batchSize > 1
            ? $"Use a lower -BatchSize (for example -BatchSize {Math.Max(1, batchSize / 4)})."
            : "Even one image does not fit: use a smaller model, fewer layers or another device.";
        return new InsufficientMemoryException(
            $"Out of memory on {device} while running a batch of {images} image(s) (-BatchSize {batchSize}): {native} {hint}", e);
    }
}

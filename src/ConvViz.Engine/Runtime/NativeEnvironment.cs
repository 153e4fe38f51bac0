using System;
using System.IO;
using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace ConvViz.Engine.Runtime;

/// <summary>Process-wide libtorch settings ConvViz applies once, before the first computation.</summary>
public static class NativeEnvironment
{
    private static readonly object Gate = new();
    private static bool _done;

    /// <summary>
    /// Loads libtorch and keeps its C++ log at errors: otherwise every convolution on a CPU
    /// without NNPACK support prints "Could not initialize NNPACK" to stderr. libtorch only
    /// reads TORCH_CPP_LOG_LEVEL from Python's start-up, so the flag is set in libc10 itself.
    /// A TORCH_CPP_LOG_LEVEL the user set wins.
    /// </summary>
    public static void EnsureInitialized()
    {
        lock (Gate)
        {
            if (_done) return;
            _done = true;
            InitializeDeviceType(TorchSharp.DeviceType.CPU);
            if (Environment.GetEnvironmentVariable("TORCH_CPP_LOG_LEVEL") is { Length: > 0 }) return;
            try
            {
                var dir = Path.GetDirectoryName(typeof(TorchSharp.torch).Assembly.Location) ?? "";
                var file = OperatingSystem.IsWindows() ? "c10.dll" : OperatingSystem.IsMacOS() ? "libc10.dylib" : "libc10.so";
                if (NativeLibrary.TryLoad(Path.Combine(dir, file), out var c10)
                    && NativeLibrary.TryGetExport(c10, "FLAGS_caffe2_log_level", out var level))
                    Marshal.WriteInt32(level, 2); // ERROR
            }
            catch (Exception) { /* only a log level: never worth failing over */ }
        }
    }

    /// <summary>
    /// For the length of a scan, serves every native block of 1 MiB or more with mmap, so each
    /// batch's tensors go back to the system when they are disposed. With glibc's default the
    /// threshold rises after the first free, later blocks come from the heap, and resident
    /// memory climbs with the number of images (measured, zfnet conv1: +224 MB from 500 to
    /// 5,000 images with the default, -20 MB with this). Afterwards the threshold is set to
    /// 32 MiB, glibc's own ceiling, because fresh mmapped pages make the many large temporaries
    /// of projections 2-3x slower. MALLOC_MMAP_THRESHOLD_ set by the user wins; not glibc: no-op.
    /// </summary>
    public static IDisposable ScanMemoryMode()
    {
        SetMmapThreshold(1 << 20);
        return new Restore();
    }

    private sealed class Restore : IDisposable
    {
        public void Dispose() => SetMmapThreshold(32 << 20);
    }

    private static bool _noMallopt;

    private static void SetMmapThreshold(int bytes)
    {
        if (!OperatingSystem.IsLinux() || _noMallopt || Environment.GetEnvironmentVariable("MALLOC_MMAP_THRESHOLD_") is { Length: > 0 }) return;
        const int M_MMAP_THRESHOLD = -3;
        try { _ = mallopt(M_MMAP_THRESHOLD, bytes); }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { _noMallopt = true; }
    }

    [DllImport("libc.so.6", EntryPoint = "mallopt")]
    private static extern int mallopt(int param, int value);
}

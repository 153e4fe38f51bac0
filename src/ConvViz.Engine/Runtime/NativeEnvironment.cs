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
            FixMmapThreshold();
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
    /// glibc serves big blocks with mmap until one is freed, then raises its threshold so later
    /// ones come from the heap, where freed batch tensors fragment and resident memory climbs
    /// with every image of a long scan (measured: +350 MB between 500 and 5,000 images). A fixed
    /// 1 MiB threshold hands every batch tensor back to the system when it is disposed
    /// (measured: +33 MB). MALLOC_MMAP_THRESHOLD_ set by the user wins.
    /// </summary>
    private static void FixMmapThreshold()
    {
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable("MALLOC_MMAP_THRESHOLD_") is { Length: > 0 }) return;
        const int M_MMAP_THRESHOLD = -3;
        try { _ = mallopt(M_MMAP_THRESHOLD, 1 << 20); }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { /* not glibc */ }
    }

    [DllImport("libc.so.6", EntryPoint = "mallopt")]
    private static extern int mallopt(int param, int value);
}

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
    /// A TORCH_CPP_LOG_LEVEL the user set wins. Also fixes the native heap's mmap threshold and asks for huge pages (<see cref="NativeHeap"/>).
    /// </summary>
    public static void EnsureInitialized()
    {
        lock (Gate)
        {
            if (_done) return;
            _done = true;
            // Before anything of libtorch runs: its allocator reads the huge-page switch at its first allocation.
            NativeHeap.Configure();
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
}

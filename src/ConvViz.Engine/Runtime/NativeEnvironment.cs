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
    /// A TORCH_CPP_LOG_LEVEL the user set wins. Also fixes the native heap's mmap threshold (<see cref="NativeHeap"/>)
    /// and OpenMP's wait policy (<see cref="PreferPassiveOpenMpWait"/>).
    /// </summary>
    public static void EnsureInitialized()
    {
        lock (Gate)
        {
            if (_done) return;
            _done = true;
            PreferPassiveOpenMpWait();
            InitializeDeviceType(TorchSharp.DeviceType.CPU);
            NativeHeap.Configure();
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
    /// OMP_WAIT_POLICY=PASSIVE for libtorch's libgomp, unless the user set one: between parallel regions
    /// its threads sleep instead of spinning. A scan's decoding workers share the cores with them, and
    /// spinning threads took the CPU the decoders needed (issue 15, quiet 2-core machine, 3 alternating
    /// pairs: camera JPEGs 11.4-12.4 img/s spinning, 13.0-14.2 passive; ~500 px JPEGs median 23.4 against
    /// 27.8). libgomp reads the variable once, when it loads, so it is set in the native environment
    /// (setenv; .NET's own copy is invisible to native code) before libtorch is loaded. Not on Windows,
    /// where libtorch's OpenMP runtime reads its environment differently.
    /// </summary>
    private static void PreferPassiveOpenMpWait()
    {
        const string name = "OMP_WAIT_POLICY";
        if (OperatingSystem.IsWindows() || Environment.GetEnvironmentVariable(name) is { Length: > 0 }) return;
        try
        {
            if (Marshal.PtrToStringAnsi(getenv(name)) is { Length: > 0 }) return;
            _ = setenv(name, "PASSIVE", 1); // an empty value counts as unset, as libgomp reads it
        }
        catch (Exception) { /* a scheduling preference: never worth failing over */ }
    }

    [DllImport("libc", EntryPoint = "getenv")]
    private static extern IntPtr getenv(string name);

    [DllImport("libc", EntryPoint = "setenv")]
    private static extern int setenv(string name, string value, int overwrite);
}

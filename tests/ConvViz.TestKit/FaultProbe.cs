using System;
using System.Runtime.InteropServices;
using ConvViz.Engine.Graph;
using ConvViz.Engine.Graph.Ops;
using ConvViz.Engine.Models;
using ConvViz.Engine.Runtime;
using static TorchSharp.torch;

namespace ConvViz.TestKit;

/// <summary>Native-resource and fault probes for the reliability suite (plain types for PowerShell).</summary>
public static class FaultProbe
{
    /// <summary>A variable of the native environment (what libtorch's getenv reads), or null.</summary>
    public static string? NativeVariable(string name) => Marshal.PtrToStringUTF8(getenv(name));

    /// <summary>
    /// Kilobytes of transparent huge pages backing a fresh 64 MiB float tensor, touched once: its mapping's
    /// AnonHugePages in /proc/self/smaps; -1 where smaps is not there.
    /// </summary>
    public static long HugePageKilobytes()
    {
        if (!System.IO.File.Exists("/proc/self/smaps")) return -1;
        using var t = ones(16L << 20);
        ulong address = (ulong)THSTensor_data(t.Handle).ToInt64();
        bool inside = false;
        foreach (var line in System.IO.File.ReadLines("/proc/self/smaps"))
        {
            int dash = line.IndexOf('-');
            int space = line.IndexOf(' ');
            if (dash > 0 && space > dash && ulong.TryParse(line.AsSpan(0, dash), System.Globalization.NumberStyles.HexNumber, null, out var start)
                && ulong.TryParse(line.AsSpan(dash + 1, space - dash - 1), System.Globalization.NumberStyles.HexNumber, null, out var end))
            {
                inside = address >= start && address < end;
                continue;
            }
            if (inside && line.StartsWith("AnonHugePages:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);
        }
        return 0;
    }

    [DllImport("LibTorchSharp")]
    private static extern IntPtr THSTensor_data(IntPtr handle);

    [DllImport("libc.so.6")]
    private static extern IntPtr getenv([MarshalAs(UnmanagedType.LPUTF8Str)] string name);

    /// <summary>TorchSharp tensors alive now (created and not yet disposed or finalized).</summary>
    public static long LiveTensors() => Tensor.TotalCount;

    /// <summary>Whether libtorch's own message for a failed allocation is recognised, and what the user then reads.</summary>
    public static string MapAllocationFailure(string nativeMessage, int images, int batchSize)
    {
        var native = new ExternalException(nativeMessage);
        if (!AllocationFailure.Is(native)) return "";
        var mapped = AllocationFailure.ForBatch(native, images, batchSize, "cpu");
        return mapped.GetType().Name + ": " + mapped.Message;
    }

    /// <summary>
    /// One 3x3 conv with <paramref name="channels"/> outputs at <paramref name="size"/> x
    /// <paramref name="size"/>: each image's output is channels * size^2 * 4 bytes, so a batch
    /// of many images asks libtorch for one allocation larger than the machine.
    /// </summary>
    public static ConvModel WideConv(int size, int channels, long seed)
    {
        var gen = new Generator((ulong)seed);
        var g = new GraphBuilder(3, size, size);
        var w = randn(new long[] { channels, 3, 3, 3 }, generator: gen) * 0.3;
        int conv = g.Add("conv", new Conv2dOp(w, null, new long[] { 1, 1 }, new long[] { 1, 1 }, new long[] { 1, 1 }, 1), g.Input);
        var layers = new[] { new LayerSpec("conv", "Conv", conv, conv, conv, Array.Empty<string>(), 0) };
        return new ConvModel("wide", "test:wide", g.Build(), new LayerTable(layers, "wide"),
            new InputSpec(size, size, ResizeMode.Stretch, size, 1f), ModelOutputKind.Features);
    }
}

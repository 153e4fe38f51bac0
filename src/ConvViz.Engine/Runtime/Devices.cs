using System;
using static TorchSharp.torch;

namespace ConvViz.Engine.Runtime;

/// <summary>Turns "cpu", "cuda", "cuda:1" or "auto" into a TorchSharp device.</summary>
public static class Devices
{
    public static Device Resolve(string? name)
    {
        var n = string.IsNullOrWhiteSpace(name) ? "auto" : name.Trim().ToLowerInvariant();
        if (n == "auto") return cuda.is_available() ? CUDA : CPU;
        if (n == "cpu") return CPU;
        if (n.StartsWith("cuda", StringComparison.Ordinal))
        {
            if (!cuda.is_available())
                throw new ArgumentException($"Device '{name}' was asked for, but TorchSharp reports no CUDA device here (this build carries the CPU libtorch). Use -Device cpu or auto.");
            return new Device(n);
        }
        throw new ArgumentException($"Unknown device '{name}'. Use cpu, cuda, cuda:N or auto.");
    }
}

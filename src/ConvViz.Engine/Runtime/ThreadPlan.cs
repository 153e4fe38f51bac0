using System;
using static TorchSharp.torch;

namespace ConvViz.Engine.Runtime;

/// <summary>
/// How a scan shares the cores between libtorch's intra-op (OpenMP) threads and the decoding
/// workers (issue 15). Both at "one per core" (the old default) put 2 x cores busy threads on the
/// cores: every OpenMP region of the forward pass then waits at its barrier for a thread the OS
/// has given to a decoder (or, on a shared machine, to anyone), which made a 2-core scan 1.6-2.2x
/// slower than one intra-op thread beside one decoder (measured, NOTES-issue15.md). Decoding a
/// ~500 px JPEG costs about a tenth of its forward pass, a DCT-reduced camera JPEG about as much:
/// a quarter of the cores decode (at least one), the rest compute.
/// libtorch's thread count is per OS thread (OpenMP ICV): <see cref="Apply"/> sets it on the calling
/// thread, which must be the one that runs the forward passes, and puts the old count back on dispose.
/// </summary>
public sealed record ThreadPlan(int IntraOp, int DecodeWorkers)
{
    /// <summary>
    /// The plan for a scan on <paramref name="device"/>: given counts win (0 = automatic). On a GPU
    /// the decoders get every core and libtorch's own count stays as it is.
    /// </summary>
    public static ThreadPlan For(Device device, int decodeWorkers = 0, int intraOp = 0)
    {
        int cores = Math.Max(1, Environment.ProcessorCount);
        if (device.type != TorchSharp.DeviceType.CPU)
            return new ThreadPlan(intraOp > 0 ? intraOp : 0, decodeWorkers > 0 ? decodeWorkers : cores);
        int workers = decodeWorkers > 0 ? decodeWorkers : Math.Max(1, cores / 4);
        int threads = intraOp > 0 ? intraOp : Math.Max(1, cores - workers);
        return new ThreadPlan(threads, workers);
    }

    /// <summary>Sets libtorch's intra-op threads on this thread (when the plan names a count); dispose restores them.</summary>
    public IDisposable Apply()
    {
        int before = get_num_threads();
        if (IntraOp <= 0 || IntraOp == before) return new Restore(0);
        set_num_threads(IntraOp);
        return new Restore(before);
    }

    private sealed class Restore(int threads) : IDisposable
    {
        private int _threads = threads;
        public void Dispose()
        {
            if (_threads > 0) set_num_threads(_threads);
            _threads = 0;
        }
    }
}

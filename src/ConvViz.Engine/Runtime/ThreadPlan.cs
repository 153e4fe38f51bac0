using System;
using static TorchSharp.torch;

namespace ConvViz.Engine.Runtime;

/// <summary>
/// How a scan shares the cores between libtorch's intra-op (OpenMP) threads and the decoding
/// workers (issue 15). On a quiet 2-core machine every core for both is fastest (scan of ~500 px
/// JPEGs: 29-34 ms per image against 38-43 with one decoder and 61-72 with one thread beside one
/// decoder; camera JPEGs 113-131 against 140-148 and 181-206): the decoders block on a full queue
/// most of the time, and a pass that leaves a core idle loses half the machine. (On a machine
/// shared far beyond its cores, a load of 12-28 on 2 cores, one thread was faster: OpenMP barriers
/// wait for threads the OS gives to others. A job there sets OMP_NUM_THREADS, which is honoured.)
/// libtorch's thread count is per OS thread (OpenMP ICV): <see cref="Apply"/> sets it on the calling
/// thread, which must be the one that runs the forward passes, and puts the old count back on dispose.
/// </summary>
public sealed record ThreadPlan(int IntraOp, int DecodeWorkers)
{
    /// <summary>
    /// The plan for a scan on <paramref name="device"/>: given counts win (0 = automatic). On the CPU
    /// libtorch gets OMP_NUM_THREADS when it is set (as Slurm jobs and shared lab machines set it),
    /// else every core the process may use; the decoders one per core. On a GPU the decoders get every
    /// core and libtorch's own count stays as it is.
    /// </summary>
    public static ThreadPlan For(Device device, int decodeWorkers = 0, int intraOp = 0)
    {
        int cores = Math.Max(1, Environment.ProcessorCount);
        if (device.type != TorchSharp.DeviceType.CPU)
            return new ThreadPlan(intraOp > 0 ? intraOp : 0, decodeWorkers > 0 ? decodeWorkers : cores);
        int workers = decodeWorkers > 0 ? decodeWorkers : cores;
        int threads = intraOp > 0 ? intraOp : OmpThreads() ?? cores;
        return new ThreadPlan(threads, workers);
    }

    // OMP_NUM_THREADS as OpenMP reads it: a positive count, or the first of a nested list ("4,2").
    private static int? OmpThreads()
    {
        string? text = Environment.GetEnvironmentVariable("OMP_NUM_THREADS");
        if (string.IsNullOrWhiteSpace(text)) return null;
        return int.TryParse(text.Split(',')[0].Trim(), out int n) && n > 0 ? n : null;
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

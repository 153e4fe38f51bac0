using System;
using System.Runtime.InteropServices;

namespace ConvViz.Engine.Runtime;

/// <summary>
/// Keeps a long scan's resident memory flat without slowing its batches. libtorch's CPU
/// allocator hands every tensor to malloc. Serving the large blocks of a batch with mmap
/// returns them to the system at once, but then every batch page-faults its activations in
/// afresh (measured: resnet18 -Layer * at 0.44x the bare forward pass). Served from glibc's
/// heap they are reused at full speed, but freed pages of a fragmented heap stay resident, and
/// resident memory climbs with the number of images. So the mmap threshold is fixed at
/// glibc's usual ceiling (32 MiB, not adaptive), and after a batch that leaves the process
/// more than <see cref="Slack"/> above its working size, malloc_trim hands the heap's free
/// pages back: the next batch pays its page faults once, and a scan whose memory is steady
/// never trims; trims are at least <see cref="MinBatchesBetweenTrims"/> batches apart. The working size is the resident size after the first batch, raised to what
/// a batch right after a trim needs (that batch has only what it really uses resident). MALLOC_MMAP_THRESHOLD_ / MALLOC_TRIM_THRESHOLD_ set by the
/// user win. Not glibc: no-op.
/// </summary>
public sealed class NativeHeap
{
    private static bool _unavailable = !OperatingSystem.IsLinux();
    private long _working;
    private bool _justTrimmed;
    private int _sinceTrim = MinBatchesBetweenTrims;

    /// <summary>Trims are at least this many batches apart, so a fluctuating resident set cannot make every batch page-fault.</summary>
    public const int MinBatchesBetweenTrims = 32;

    private NativeHeap(long slack) => Slack = slack;

    /// <summary>Growth of the resident set, in bytes, that triggers a trim.</summary>
    public long Slack { get; }

    /// <summary>How many times this scan trimmed the heap.</summary>
    public int Trims { get; private set; }

    /// <summary>
    /// Fixes the mmap threshold at 32 MiB, and has libtorch back its blocks of 2 MiB and more with
    /// transparent huge pages (once per process, at engine start, before libtorch's first allocation).
    /// </summary>
    public static void Configure()
    {
        if (Environment.GetEnvironmentVariable("MALLOC_MMAP_THRESHOLD_") is not { Length: > 0 })
            Call(() => mallopt(M_MMAP_THRESHOLD, 32 << 20));
        EnableHugePages();
    }

    /// <summary>
    /// Blocks above the mmap threshold (a batch's feature maps, the way down's whole-map signals) are
    /// fresh pages on every allocation, and on 4 KiB pages the page faults cost more than the arithmetic:
    /// measured on a 2-core AMD EPYC, zeros(32 x 64 x 112 x 112) took 170 ms and an unpool's scatter 9 ms.
    /// libtorch's allocator asks for huge pages (madvise) for such blocks when THP_MEM_ALLOC_ENABLE is set
    /// in the native environment when it first allocates (PyTorch's CPU tuning guide recommends it); with
    /// the kernel's THP in "madvise" or "always" mode the same zeros took 38 ms. A value the user set wins;
    /// with THP "never" the variable changes nothing.
    /// </summary>
    private static void EnableHugePages()
    {
        if (Environment.GetEnvironmentVariable(HugePagesVariable) is { Length: > 0 }) return;
        Call(() => setenv(HugePagesVariable, "1", 0));
    }

    /// <summary>libtorch's switch for huge-page backed allocations (c10's CPU allocator reads it once).</summary>
    public const string HugePagesVariable = "THP_MEM_ALLOC_ENABLE";

    public static NativeHeap ForScan(long slack = 32L << 20)
    {
        if (slack < 0) throw new ArgumentOutOfRangeException(nameof(slack), slack, "The slack must not be negative.");
        return new NativeHeap(slack);
    }

    /// <summary>Called after each batch, once its tensors are freed: trims when the resident set has grown by more than the slack.</summary>
    public void AfterBatch()
    {
        _sinceTrim++;
        long now = Resident();
        if (now <= 0) return;
        if (_working == 0 || _justTrimmed)
        {
            _working = Math.Max(_working, now);
            _justTrimmed = false;
            return;
        }
        if (now <= _working + Slack || _sinceTrim < MinBatchesBetweenTrims) return;
        _sinceTrim = 0;
        Trim();
        _justTrimmed = true;
    }

    /// <summary>Returns the heap's free pages to the system now.</summary>
    public void Trim()
    {
        if (Environment.GetEnvironmentVariable("MALLOC_TRIM_THRESHOLD_") is { Length: > 0 }) return;
        if (Call(() => malloc_trim(UIntPtr.Zero))) Trims++;
    }

    /// <summary>The process's resident set in bytes (the second field of /proc/self/statm, in pages); 0 where unknown.</summary>
    private static long Resident()
    {
        if (_unavailable) return 0;
        try
        {
            var fields = System.IO.File.ReadAllText("/proc/self/statm").Split(' ');
            return long.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture) * Environment.SystemPageSize;
        }
        catch (Exception e) when (e is System.IO.IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return 0;
        }
    }

    private static bool Call(Func<int> call)
    {
        if (_unavailable) return false;
        try { call(); return true; }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { _unavailable = true; return false; }
    }

    private const int M_MMAP_THRESHOLD = -3;

    [DllImport("libc.so.6", EntryPoint = "mallopt")]
    private static extern int mallopt(int param, int value);

    [DllImport("libc.so.6", EntryPoint = "setenv")]
    private static extern int setenv([MarshalAs(UnmanagedType.LPUTF8Str)] string name, [MarshalAs(UnmanagedType.LPUTF8Str)] string value, int overwrite);

    [DllImport("libc.so.6", EntryPoint = "malloc_trim")]
    private static extern int malloc_trim(UIntPtr pad);
}

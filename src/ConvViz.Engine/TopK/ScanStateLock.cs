using System;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;

namespace ConvViz.Engine.TopK;

/// <summary>
/// The exclusive claim of one scan on a state file, held from before the state is read until
/// after the last checkpoint: <c>&lt;state&gt;.lock</c> beside it, opened with FileShare.None
/// (an flock(2) on Unix, a sharing lock on Windows), which the operating system releases when
/// the process ends however it ends, so a killed scan never leaves a stale claim. The lock file
/// holds the owner (pid, host, start time) for the error a second scan gets; it is emptied, not
/// deleted, on release (deleting it would let two later scans lock two different files). Once
/// the claim is held, temporary files an interrupted write left beside the state are removed.
/// </summary>
public sealed class ScanStateLock : IDisposable
{
    private readonly FileStream _stream;

    private ScanStateLock(FileStream stream, string path) { _stream = stream; StatePath = path; }

    public string StatePath { get; }

    public static string LockPathOf(string statePath) => statePath + ".lock";

    /// <summary>Claims <paramref name="statePath"/>; throws <see cref="ScanStateInUseException"/> naming the owner when another scan holds it.</summary>
    public static ScanStateLock Acquire(string statePath)
    {
        var full = Path.GetFullPath(statePath);
        var dir = Path.GetDirectoryName(full) ?? ".";
        Directory.CreateDirectory(dir);
        var lockPath = LockPathOf(full);
        FileStream stream;
        try
        {
            stream = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite,
                OperatingSystem.IsWindows() ? FileShare.Read : FileShare.None, 1, FileOptions.None);
        }
        catch (IOException e) when (e is not FileNotFoundException and not DirectoryNotFoundException and not PathTooLongException)
        {
            var owner = ReadOwner(lockPath);
            throw new ScanStateInUseException(full, owner, e);
        }
        try
        {
            var owner = $"pid {Environment.ProcessId} on host {Environment.MachineName}, since {DateTime.UtcNow:yyyy-MM-dd HH:mm:ss} UTC";
            var bytes = Encoding.UTF8.GetBytes(owner);
            stream.SetLength(0);
            stream.Write(bytes, 0, bytes.Length);
            stream.Flush(flushToDisk: true);
            RemoveLeftovers(full);
            return new ScanStateLock(stream, full);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Temporary files of <see cref="ScanStateFile.Save"/> (".name.xxxxxxxx.tmp") that a kill left behind.</summary>
    private static void RemoveLeftovers(string full)
    {
        var dir = Path.GetDirectoryName(full)!;
        var prefix = "." + Path.GetFileName(full) + ".";
        foreach (var f in Directory.EnumerateFiles(dir, prefix + "*.tmp", new EnumerationOptions { AttributesToSkip = 0, MatchType = MatchType.Simple }))
        {
            var middle = Path.GetFileName(f)[prefix.Length..^4];
            if (middle.Length != 8 || !middle.All(Uri.IsHexDigit)) continue;
            try { File.Delete(f); } catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        }
    }

    // .NET's own open of a locked file takes a shared flock and fails; libc's does not.
    private static string? ReadOwner(string lockPath)
    {
        try
        {
            if (OperatingSystem.IsLinux())
            {
                int fd = open(lockPath, 0);
                if (fd < 0) return null;
                try
                {
                    var buffer = new byte[512];
                    long n = read(fd, buffer, buffer.Length);
                    return n > 0 ? Encoding.UTF8.GetString(buffer, 0, (int)n) : null;
                }
                finally { close(fd); }
            }
            using var s = new FileStream(lockPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            var b = new byte[512];
            int m = s.Read(b, 0, b.Length);
            return m > 0 ? Encoding.UTF8.GetString(b, 0, m) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }

    public void Dispose()
    {
        try { _stream.SetLength(0); _stream.Flush(); } catch (IOException) { }
        _stream.Dispose();
    }

    [DllImport("libc.so.6", SetLastError = true)]
    private static extern int open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc.so.6", SetLastError = true)]
    private static extern nint read(int fd, byte[] buffer, nint count);

    [DllImport("libc.so.6")]
    private static extern int close(int fd);
}

/// <summary>Another scan owns the state file.</summary>
public sealed class ScanStateInUseException : IOException
{
    public ScanStateInUseException(string path, string? owner, Exception? inner = null)
        : base($"Scan state '{path}' is being written by another scan ({(string.IsNullOrWhiteSpace(owner) ? "owner unknown" : owner)}); two scans on one state file would lose each other's images. Wait for it to finish or stop it, or use another -StatePath.", inner)
    {
        Path = path; Owner = owner;
    }

    public string Path { get; }
    public string? Owner { get; }
}

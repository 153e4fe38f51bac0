using System;
using System.IO;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace ConvViz.Engine.Runtime;

/// <summary>What a path is on disk, as stat(2) says (symbolic links followed).</summary>
public enum FileKindValue
{
    Missing,
    Regular,
    Directory,
    Fifo,
    Socket,
    CharacterDevice,
    BlockDevice,
    Other,
}

/// <summary>
/// File types .NET does not expose. Opening a FIFO blocks until a writer appears (forever, in
/// a folder nobody writes to), and a device can stream without end, so a scan stats a path
/// before opening it and fstat's the handle after (the path may have been swapped between
/// the two). On Unix this asks .NET's own native shim (libSystem.Native, shipped with every
/// runtime; its FileStatus keeps the mode at offset 4 with the POSIX S_IF* values), and
/// glibc's realpath (elsewhere .NET's link resolution) for the identity of directories and files reached through links. On
/// Windows there are no FIFOs on disk: files and directories only.
/// </summary>
public static class FileKind
{
    private const int S_IFMT = 0xF000, S_IFIFO = 0x1000, S_IFCHR = 0x2000, S_IFDIR = 0x4000, S_IFBLK = 0x6000, S_IFREG = 0x8000, S_IFSOCK = 0xC000;

    /// <summary>The kind of <paramref name="path"/>, following symbolic links (a dangling link is Missing).</summary>
    public static FileKindValue Of(string path)
    {
        if (OperatingSystem.IsWindows())
            return Directory.Exists(path) ? FileKindValue.Directory : File.Exists(path) ? FileKindValue.Regular : FileKindValue.Missing;
        var status = new byte[256];
        if (SystemNative_Stat(path, status) != 0) return File.Exists(path) || Directory.Exists(path) ? FileKindValue.Other : FileKindValue.Missing;
        return FromMode(BitConverter.ToInt32(status, 4));
    }

    /// <summary>The kind of what an open handle refers to.</summary>
    public static FileKindValue Of(SafeFileHandle handle)
    {
        if (OperatingSystem.IsWindows()) return FileKindValue.Regular;
        var status = new byte[256];
        if (SystemNative_FStat(handle, status) != 0) return FileKindValue.Other;
        return FromMode(BitConverter.ToInt32(status, 4));
    }

    private static FileKindValue FromMode(int mode) => (mode & S_IFMT) switch
    {
        S_IFREG => FileKindValue.Regular,
        S_IFDIR => FileKindValue.Directory,
        S_IFIFO => FileKindValue.Fifo,
        S_IFSOCK => FileKindValue.Socket,
        S_IFCHR => FileKindValue.CharacterDevice,
        S_IFBLK => FileKindValue.BlockDevice,
        _ => FileKindValue.Other,
    };

    /// <summary>How a message names the kind: "a FIFO (named pipe)", "a socket", ...</summary>
    public static string Describe(FileKindValue kind) => kind switch
    {
        FileKindValue.Fifo => "a FIFO, or named pipe",
        FileKindValue.Socket => "a socket",
        FileKindValue.CharacterDevice => "a character device",
        FileKindValue.BlockDevice => "a block device",
        FileKindValue.Directory => "a directory",
        FileKindValue.Missing => "missing",
        FileKindValue.Regular => "a regular file",
        _ => "not a regular file",
    };

    /// <summary>
    /// The canonical absolute path (every link and ".." resolved), or null when it cannot be
    /// resolved (dangling link, loop, no permission). Two paths name the same file or folder
    /// when their real paths are equal.
    /// </summary>
    public static string? RealPath(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            try
            {
                var full = Path.GetFullPath(path);
                FileSystemInfo info = Directory.Exists(full) ? new DirectoryInfo(full) : new FileInfo(full);
                return info.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? full;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException) { return null; }
        }
        IntPtr p = realpath(path, IntPtr.Zero);
        if (p == IntPtr.Zero) return null;
        try { return Marshal.PtrToStringUTF8(p); }
        finally { free(p); }
    }

    [DllImport("libSystem.Native", EntryPoint = "SystemNative_Stat", SetLastError = true)]
    private static extern int SystemNative_Stat([MarshalAs(UnmanagedType.LPUTF8Str)] string path, byte[] status);

    [DllImport("libSystem.Native", EntryPoint = "SystemNative_FStat", SetLastError = true)]
    private static extern int SystemNative_FStat(SafeFileHandle fd, byte[] status);

    [DllImport("libc.so.6", SetLastError = true)]
    private static extern IntPtr realpath([MarshalAs(UnmanagedType.LPUTF8Str)] string path, IntPtr resolved);

    [DllImport("libc.so.6")]
    private static extern void free(IntPtr p);
}

using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;

namespace ConvViz.Engine.Import;

/// <summary>
/// Checks a torch.save archive's pickle before anything unpickles it. A pickle may name any
/// Python callable (GLOBAL) and call it (REDUCE); a state dict only ever names
/// OrderedDict, the tensor rebuild functions and the storage types. A training checkpoint
/// around it adds only plain values (dict, list, tuple, str, int, float, bool, None, which
/// the pickle builds with opcodes of their own; set, frozenset, bytes and bytearray, which
/// protocol 2 builds by naming the builtin). PyBridge's unpickler
/// (Razorvine.Pickle) does not run Python, but it does construct whatever .NET type it has
/// registered for a name, so ConvViz refuses any other name up front, as PyTorch's
/// weights_only loader does. The scan walks the opcodes without executing them.
/// </summary>
internal static class StateDictPickleGuard
{
    private static readonly HashSet<string> Allowed = new(StringComparer.Ordinal)
    {
        "collections.OrderedDict",
        "torch._utils._rebuild_tensor",
        "torch._utils._rebuild_tensor_v2",
        "torch._utils._rebuild_parameter",
        // Plain values a checkpoint's metadata may hold, which pickle protocol 2 (torch.save's)
        // writes as calls: sets and bytes. They build only that builtin value, as PyTorch's
        // weights_only loader also allows.
        "__builtin__.set", "builtins.set", "__builtin__.frozenset", "builtins.frozenset",
        "__builtin__.bytearray", "builtins.bytearray", "_codecs.encode",
    };

    private static readonly HashSet<string> Storages = new(StringComparer.Ordinal)
    {
        "FloatStorage", "DoubleStorage", "HalfStorage", "BFloat16Storage", "LongStorage", "IntStorage",
        "ShortStorage", "CharStorage", "ByteStorage", "BoolStorage",
    };

    public static void CheckArchive(string file)
    {
        using var zip = OpenZip(file);
        var entry = zip.Entries.FirstOrDefault(e => e.FullName.EndsWith("data.pkl", StringComparison.Ordinal))
            ?? throw new InvalidDataException($"'{file}' is a zip archive but not a torch.save file: it has no data.pkl.");
        using var stream = entry.Open();
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        Check(buffer.ToArray(), file);
    }

    private static ZipArchive OpenZip(string file)
    {
        var bytes = new byte[4];
        using (var probe = File.OpenRead(file))
        {
            if (probe.Read(bytes, 0, 4) < 4 || bytes[0] != 0x50 || bytes[1] != 0x4B || bytes[2] != 0x03 || bytes[3] != 0x04)
                throw new InvalidDataException($"'{file}' is not a torch.save zip archive (the legacy pre-1.6 format and plain pickles are not read; re-save it with torch.save(model.state_dict(), path) from PyTorch 1.6 or later, or use .safetensors).");
        }
        try { return ZipFile.OpenRead(file); }
        catch (InvalidDataException e) { throw new InvalidDataException($"'{file}' is a damaged zip archive: {e.Message}", e); }
    }

    public static void Check(byte[] p, string file)
    {
        int i = 0;
        var memo = new Dictionary<long, string>();
        string? last = null, beforeLast = null;   // the last two strings pushed, for STACK_GLOBAL
        void Pushed(string? s) { beforeLast = last; last = s; }
        int U8() => p[i++];
        long Le(int n) { long v = 0; for (int k = 0; k < n; k++) v |= (long)p[i + k] << (8 * k); i += n; return v; }
        string Line() { int end = Array.IndexOf(p, (byte)'\n', i); if (end < 0) throw Bad(file, "unterminated text argument"); var s = Encoding.UTF8.GetString(p, i, end - i); i = end + 1; return s; }
        string Str(long n) { if (n < 0 || i + n > p.Length) throw Bad(file, "truncated string"); var s = Encoding.UTF8.GetString(p, i, (int)n); i += (int)n; return s; }
        void Skip(long n) { if (n < 0 || i + n > p.Length) throw Bad(file, "truncated data"); i += (int)n; }
        void Global(string module, string name)
        {
            var full = module + "." + name;
            if (Allowed.Contains(full) || (module == "torch" && Storages.Contains(name))) return;
            throw new InvalidDataException($"'{file}' is not a plain state dict: its pickle refers to Python object '{full}'. ConvViz reads a state dict saved with torch.save(model.state_dict(), path), alone or in a checkpoint dict whose other entries are plain numbers, strings, lists and dicts, and never constructs other objects from a file; save that entry as a plain value, or save the state dict alone.");
        }

        while (i < p.Length)
        {
            byte op = p[i++];
            switch ((char)op)
            {
                case '.': return; // STOP
                case '(': case '0': case '1': case '2': case 'Q': case 'R': case 'b': case 'a': case 'e': case 'd': case '}':
                case ']': case ')': case 'l': case 't': case '\x85': case '\x86': case '\x87': case '\x88': case '\x89': case 'N':
                case 's': case 'u': case 'o': case '\x81': case '\x92': case '\x8f': case '\x90': case '\x91': case '\x97': case '\x98':
                    if (op is (byte)'0' or (byte)'1') Pushed(null);
                    break;
                case '\x94': if (last is not null) memo[memo.Count] = last; break; // MEMOIZE
                case '\x93': // STACK_GLOBAL
                    if (last is null || beforeLast is null) throw Bad(file, "STACK_GLOBAL without a readable module and name");
                    Global(beforeLast, last); Pushed(null); break;
                case 'c': Global(Line(), Line()); Pushed(null); break; // GLOBAL
                case 'i': Global(Line(), Line()); Pushed(null); break; // INST
                case 'J': Skip(4); Pushed(null); break;
                case 'K': Skip(1); Pushed(null); break;
                case 'M': Skip(2); Pushed(null); break;
                case '\x8a': Skip(U8()); Pushed(null); break;
                case '\x8b': Skip(Le(4)); Pushed(null); break;
                case 'G': Skip(8); Pushed(null); break;
                case 'T': Pushed(Str(Le(4))); break;
                case 'U': Pushed(Str(U8())); break;
                case 'X': Pushed(Str(Le(4))); break;
                case '\x8c': Pushed(Str(U8())); break;
                case '\x8d': Pushed(Str(Le(8))); break;
                case 'B': Skip(Le(4)); Pushed(null); break;
                case 'C': Skip(U8()); Pushed(null); break;
                case '\x8e': case '\x96': Skip(Le(8)); Pushed(null); break;
                case 'h': Pushed(memo.GetValueOrDefault(U8())); break;
                case 'j': Pushed(memo.GetValueOrDefault(Le(4))); break;
                case 'q': { long k = U8(); if (last is not null) memo[k] = last; break; }
                case 'r': { long k = Le(4); if (last is not null) memo[k] = last; break; }
                case '\x80': Skip(1); break; // PROTO
                case '\x95': Skip(8); break; // FRAME
                case 'I': case 'L': case 'F': Line(); Pushed(null); break;
                case 'S': case 'V': Pushed(Line()); break;
                case 'g': Pushed(long.TryParse(Line(), out var g) ? memo.GetValueOrDefault(g) : null); break;
                case 'p': { if (long.TryParse(Line(), out var k) && last is not null) memo[k] = last; break; }
                case 'P': Line(); break;
                case '\x82': case '\x83': case '\x84':
                    throw new InvalidDataException($"'{file}' is not a plain state dict: its pickle uses the copyreg extension registry, which a state dict never does.");
                default:
                    throw Bad(file, $"unknown pickle opcode 0x{op:x2} at byte {i - 1}");
            }
        }
        throw Bad(file, "the pickle has no STOP opcode (truncated)");
    }

    private static InvalidDataException Bad(string file, string why) => new($"'{file}' is not a readable torch.save state dict: {why}.");
}

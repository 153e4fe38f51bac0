using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;

namespace ConvViz.Engine.Import;

/// <summary>
/// Checks a torch.save archive before anything unpickles it.
/// <para>
/// The pickle: it may name any Python callable (GLOBAL, INST, STACK_GLOBAL) and call it; a
/// state dict only ever names OrderedDict, the tensor rebuild functions and the storage
/// types. A training checkpoint around it adds only plain values (dict, list, tuple, str, int,
/// float, bool, None, built with opcodes of their own; set, frozenset, bytes and bytearray,
/// which protocol 2 builds by naming the builtin). PyBridge's unpickler (Razorvine.Pickle) does not run Python, but it does construct
/// whatever .NET type it has registered for a name, so ConvViz refuses any other name up
/// front, as PyTorch's weights_only loader does. STACK_GLOBAL takes its module and name from
/// the stack, where they may have come through the memo (PUT/BINPUT/LONG_BINPUT/MEMOIZE,
/// GET/BINGET/LONG_BINGET), DUP, POP and marks; a guard that approximates any of that can be
/// fooled into checking other strings than the ones a real unpickler would look up. So the
/// guard runs the pickle machine of CPython's Lib/pickle.py (_Unpickler) symbolically: the
/// same stack, mark stack and memo, opcode by opcode, with every value reduced to "this
/// string" or "something else"; nothing is constructed or called.
/// </para>
/// <para>
/// The archive: every entry is read through a counter before PyBridge sees the file, refused
/// when it says or turns out to be larger than the limit (a zip bomb as data.pkl or a storage).
/// </para>
/// </summary>
internal static class StateDictPickleGuard
{
    private static readonly HashSet<(string Module, string Name)> Allowed = new()
    {
        ("collections", "OrderedDict"),
        ("torch._utils", "_rebuild_tensor"),
        ("torch._utils", "_rebuild_tensor_v2"),
        ("torch._utils", "_rebuild_parameter"),
        // Plain values a checkpoint's metadata may hold, which pickle protocol 2 (torch.save's)
        // writes as calls: sets and bytes. They build only that builtin value, as PyTorch's
        // weights_only loader also allows.
        ("__builtin__", "set"), ("builtins", "set"), ("__builtin__", "frozenset"), ("builtins", "frozenset"),
        ("__builtin__", "bytearray"), ("builtins", "bytearray"), ("_codecs", "encode"),
    };

    private static readonly HashSet<string> Storages = new(StringComparer.Ordinal)
    {
        "FloatStorage", "DoubleStorage", "HalfStorage", "BFloat16Storage", "LongStorage", "IntStorage",
        "ShortStorage", "CharStorage", "ByteStorage", "BoolStorage",
    };

    /// <summary>The largest data.pkl read (a state dict's pickle is a few hundred kilobytes).</summary>
    public const long MaxPickleBytes = 64L << 20;

    /// <summary>The largest entry by default: vgg16's biggest tensor is 392 MiB as float32.</summary>
    public const long DefaultMaxEntryBytes = 1L << 30;

    /// <summary>Checks every entry's size (declared and actual) and the pickle.</summary>
    public static void CheckArchive(string file, long maxEntryBytes = DefaultMaxEntryBytes)
    {
        using var zip = OpenZip(file);
        ZipArchiveEntry? pickle = null;
        foreach (var entry in zip.Entries)
        {
            bool isPickle = entry.FullName.EndsWith("data.pkl", StringComparison.Ordinal);
            if (isPickle && pickle is null) pickle = entry;
            long limit = isPickle ? MaxPickleBytes : maxEntryBytes;
            if (entry.Length > limit)
                throw new InvalidDataException($"'{file}': zip entry '{entry.FullName}' declares {entry.Length:N0} bytes, above the limit of {limit:N0} for {(isPickle ? "a state dict's pickle" : "one tensor of this model")}.");
            if (!isPickle) Drain(entry, Math.Min(limit, entry.Length), file);
        }
        if (pickle is null) throw new InvalidDataException($"'{file}' is a zip archive but not a torch.save file: it has no data.pkl.");
        Check(Drain(pickle, Math.Min(MaxPickleBytes, pickle.Length), file, keep: true)!, file);
    }

    // Reads an entry through a counter: a deflate stream can inflate far past what the
    // directory says, and nothing downstream may see more than the declared, checked size.
    private static byte[]? Drain(ZipArchiveEntry entry, long limit, string file, bool keep = false)
    {
        using var stream = entry.Open();
        var buffer = new byte[1 << 16];
        var kept = keep ? new MemoryStream() : null;
        long total = 0;
        int n;
        while ((n = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            total += n;
            if (total > limit)
                throw new InvalidDataException($"'{file}': zip entry '{entry.FullName}' inflates to more than its declared {entry.Length:N0} bytes (a zip bomb); refused.");
            kept?.Write(buffer, 0, n);
        }
        return kept?.ToArray();
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

    /// <summary>A value on the symbolic stack: a known string, or anything else.</summary>
    private readonly record struct Value(string? Text)
    {
        public static readonly Value Other = new(null);
    }

    public static void Check(byte[] p, string file)
    {
        int i = 0;
        var stack = new List<Value>();
        var metastack = new Stack<List<Value>>();
        var memo = new Dictionary<long, Value>();

        InvalidDataException Fail(string why) => Bad(file, $"{why} (byte {i})");
        void Need(long n) { if (n < 0 || i + n > p.Length) throw Fail("truncated data"); }
        int U8() { Need(1); return p[i++]; }
        long Le(int n) { Need(n); long v = 0; for (int k = 0; k < n; k++) v |= (long)p[i + k] << (8 * k); i += n; return v; }
        long Signed4() => (int)Le(4);
        string Line()
        {
            int end = Array.IndexOf(p, (byte)'\n', i);
            if (end < 0) throw Fail("unterminated text argument");
            var s = Encoding.UTF8.GetString(p, i, end - i); i = end + 1; return s;
        }
        string Str(long n, Encoding encoding) { Need(n); var s = encoding.GetString(p, i, (int)n); i += (int)n; return s; }
        void Skip(long n) { Need(n); i += (int)n; }
        void Push(Value v) => stack.Add(v);
        Value Pop()
        {
            if (stack.Count == 0) throw Fail("pop from an empty stack");
            var v = stack[^1]; stack.RemoveAt(stack.Count - 1); return v;
        }
        Value Top() => stack.Count > 0 ? stack[^1] : throw Fail("the stack is empty");
        List<Value> PopMark()
        {
            if (metastack.Count == 0) throw Fail("no MARK");
            var items = stack; stack = metastack.Pop(); return items;
        }
        void Global(string module, string name)
        {
            if (Allowed.Contains((module, name)) || (module == "torch" && Storages.Contains(name))) return;
            throw new InvalidDataException($"'{file}' is not a plain state dict: its pickle refers to Python object '{module}.{name}'. ConvViz reads a state dict saved with torch.save(model.state_dict(), path), alone or in a checkpoint dict whose other entries are plain numbers, strings, lists and dicts, and never constructs other objects from a file; save that entry as a plain value, or save the state dict alone.");
        }
        Value Get(long key) => memo.TryGetValue(key, out var v) ? v : throw Fail($"memo key {key} was never stored");
        void Put(long key) { if (key < 0) throw Fail("negative memo key"); memo[key] = Top(); }
        // Text strings of protocol 0 ('S' is a Python repr, 'V' raw-unicode-escape): anything
        // with an escape is "some string" the guard cannot name, so it can never pass as a global.
        Value Quoted(string line)
        {
            if (line.Length >= 2 && (line[0] == '\'' || line[0] == '"') && line[^1] == line[0] && !line.Contains('\\'))
                return new Value(line[1..^1]);
            return Value.Other;
        }

        while (i < p.Length)
        {
            byte op = p[i++];
            switch (op)
            {
                case (byte)'.': return; // STOP: the real unpickler returns the top of the stack
                case (byte)'(': metastack.Push(stack); stack = new List<Value>(); break; // MARK
                case (byte)'0': if (stack.Count > 0) Pop(); else PopMark(); break; // POP
                case (byte)'1': PopMark(); break; // POP_MARK
                case (byte)'2': Push(Top()); break; // DUP
                case (byte)'F': case (byte)'I': case (byte)'L': Line(); Push(Value.Other); break; // FLOAT, INT, LONG
                case (byte)'J': Skip(4); Push(Value.Other); break; // BININT
                case (byte)'K': Skip(1); Push(Value.Other); break; // BININT1
                case (byte)'M': Skip(2); Push(Value.Other); break; // BININT2
                case (byte)'N': case (byte)'\x88': case (byte)'\x89': Push(Value.Other); break; // NONE, NEWTRUE, NEWFALSE
                case (byte)'G': Skip(8); Push(Value.Other); break; // BINFLOAT
                case 0x8a: Skip(U8()); Push(Value.Other); break; // LONG1
                case 0x8b: { long n = Signed4(); if (n < 0) throw Fail("negative LONG4 size"); Skip(n); Push(Value.Other); break; }
                case (byte)'P': Line(); Push(Value.Other); break; // PERSID: torch's storage loader
                case (byte)'Q': Pop(); Push(Value.Other); break; // BINPERSID
                case (byte)'R': Pop(); Pop(); Push(Value.Other); break; // REDUCE: callable(*args); the callable came from a checked global
                case (byte)'S': Push(Quoted(Line())); break; // STRING
                case (byte)'T': { long n = Signed4(); if (n < 0) throw Fail("negative BINSTRING size"); Push(new Value(Str(n, Encoding.Latin1))); break; }
                case (byte)'U': Push(new Value(Str(U8(), Encoding.Latin1))); break; // SHORT_BINSTRING
                case (byte)'V': { var s = Line(); Push(s.Contains('\\') ? Value.Other : new Value(s)); break; } // UNICODE
                case (byte)'X': Push(new Value(Str(Le(4), Encoding.UTF8))); break; // BINUNICODE
                case 0x8c: Push(new Value(Str(U8(), Encoding.UTF8))); break; // SHORT_BINUNICODE
                case 0x8d: Push(new Value(Str(Le(8), Encoding.UTF8))); break; // BINUNICODE8
                case (byte)'B': Skip(Le(4)); Push(Value.Other); break; // BINBYTES
                case (byte)'C': Skip(U8()); Push(Value.Other); break; // SHORT_BINBYTES
                case 0x8e: case 0x96: Skip(Le(8)); Push(Value.Other); break; // BINBYTES8, BYTEARRAY8
                case 0x97: throw Fail("NEXT_BUFFER without out-of-band buffers");
                case 0x98: Top(); break; // READONLY_BUFFER
                case (byte)'a': Pop(); Top(); break; // APPEND
                case (byte)'b': Pop(); Top(); break; // BUILD
                case (byte)'c': { var module = Line(); var name = Line(); Global(module, name); Push(Value.Other); break; } // GLOBAL
                case (byte)'i': { var module = Line(); var name = Line(); Global(module, name); PopMark(); Push(Value.Other); break; } // INST
                case (byte)'o': { var items = PopMark(); if (items.Count == 0) throw Fail("OBJ without a class"); Push(Value.Other); break; } // OBJ
                case 0x93: // STACK_GLOBAL: name on top, module below, both must be strings
                {
                    var name = Pop(); var module = Pop();
                    if (module.Text is null || name.Text is null) throw Fail("STACK_GLOBAL on values that are not plain strings");
                    Global(module.Text, name.Text); Push(Value.Other); break;
                }
                case (byte)'d': case (byte)'l': case (byte)'t': case 0x91: PopMark(); Push(Value.Other); break; // DICT, LIST, TUPLE, FROZENSET
                case (byte)'}': case (byte)']': case (byte)')': case 0x8f: Push(Value.Other); break; // EMPTY_DICT, EMPTY_LIST, EMPTY_TUPLE, EMPTY_SET
                case (byte)'e': case (byte)'u': case 0x90: PopMark(); Top(); break; // APPENDS, SETITEMS, ADDITEMS
                case (byte)'s': Pop(); Pop(); Top(); break; // SETITEM
                case 0x85: Pop(); Push(Value.Other); break; // TUPLE1
                case 0x86: Pop(); Pop(); Push(Value.Other); break; // TUPLE2
                case 0x87: Pop(); Pop(); Pop(); Push(Value.Other); break; // TUPLE3
                case 0x81: Pop(); Pop(); Push(Value.Other); break; // NEWOBJ: cls.__new__(cls, *args)
                case 0x92: Pop(); Pop(); Pop(); Push(Value.Other); break; // NEWOBJ_EX
                case (byte)'g': { var line = Line(); if (!long.TryParse(line, out var k)) throw Fail("GET key is not a number"); Push(Get(k)); break; }
                case (byte)'h': Push(Get(U8())); break; // BINGET
                case (byte)'j': Push(Get(Le(4))); break; // LONG_BINGET (unsigned)
                case (byte)'p': { var line = Line(); if (!long.TryParse(line, out var k)) throw Fail("PUT key is not a number"); Put(k); break; }
                case (byte)'q': Put(U8()); break; // BINPUT
                case (byte)'r': Put(Le(4)); break; // LONG_BINPUT (unsigned)
                case 0x94: memo[memo.Count] = Top(); break; // MEMOIZE: memo[len(memo)] = stack[-1]
                case 0x80: Skip(1); break; // PROTO
                case 0x95: Skip(8); break; // FRAME
                case 0x82: case 0x83: case 0x84:
                    throw new InvalidDataException($"'{file}' is not a plain state dict: its pickle uses the copyreg extension registry, which a state dict never does.");
                default:
                    throw Bad(file, $"unknown pickle opcode 0x{op:x2} at byte {i - 1}");
            }
        }
        throw Bad(file, "the pickle has no STOP opcode (truncated)");
    }

    private static InvalidDataException Bad(string file, string why) => new($"'{file}' is not a readable torch.save state dict: {why}.");
}

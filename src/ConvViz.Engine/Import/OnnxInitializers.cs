using System;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using Onnx;
using static TorchSharp.torch;

namespace ConvViz.Engine.Import;

/// <summary>
/// Turns ONNX TensorProtos (initializers, Constant nodes' values) into CPU tensors. Floating
/// data becomes float32 and integer data int64, which is all the graph ops and the
/// shape arithmetic need.
/// </summary>
internal static class OnnxInitializers
{
    private const int Float = 1, UInt8 = 2, Int8 = 3, Int32 = 6, Int64 = 7, Bool = 9, Float16 = 10, Double = 11;

    public static Tensor ToTensor(TensorProto proto, string file)
    {
        var shape = proto.Dims.ToArray();
        long count = shape.Aggregate(1L, (a, b) => a * b);
        var raw = proto.RawData.Span;
        Tensor t;
        switch (proto.DataType)
        {
            case Float:
                t = tensor(raw.Length > 0 ? MemoryMarshal.Cast<byte, float>(raw).ToArray() : proto.FloatData.ToArray());
                break;
            case Double:
                t = tensor((raw.Length > 0 ? MemoryMarshal.Cast<byte, double>(raw).ToArray() : proto.DoubleData.ToArray()).Select(d => (float)d).ToArray());
                break;
            case Float16:
                t = tensor(raw.Length > 0
                    ? MemoryMarshal.Cast<byte, Half>(raw).ToArray().Select(h => (float)h).ToArray()
                    : proto.Int32Data.Select(b => (float)BitConverter.UInt16BitsToHalf((ushort)b)).ToArray());
                break;
            case Int64:
                t = tensor(raw.Length > 0 ? MemoryMarshal.Cast<byte, long>(raw).ToArray() : proto.Int64Data.ToArray());
                break;
            case Int32:
                t = tensor((raw.Length > 0 ? MemoryMarshal.Cast<byte, int>(raw).ToArray() : proto.Int32Data.ToArray()).Select(i => (long)i).ToArray());
                break;
            case Int8:
                t = tensor((raw.Length > 0 ? raw.ToArray().Select(b => (long)(sbyte)b) : proto.Int32Data.Select(i => (long)i)).ToArray());
                break;
            case UInt8:
            case Bool:
                t = tensor((raw.Length > 0 ? raw.ToArray().Select(b => (long)b) : proto.Int32Data.Select(i => (long)i)).ToArray());
                break;
            default:
                throw new InvalidDataException($"'{file}': tensor '{proto.Name}' has ONNX data type {proto.DataType}, which ConvViz does not read (float, double, float16 and integer types are supported).");
        }
        if (t.numel() != count)
        {
            t.Dispose();
            throw new InvalidDataException($"'{file}': tensor '{proto.Name}' declares shape [{string.Join("x", shape)}] ({count} values) but holds {t.numel()}; the file is truncated or corrupt.");
        }
        return t.reshape(shape);
    }
}

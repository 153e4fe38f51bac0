using System;
using System.IO;
using System.Linq;
using Google.Protobuf;
using Onnx;

namespace ConvViz.Engine.Import;

/// <summary>
/// Reads an ONNX file with OnnxSharp's generated protobuf classes. Protobuf decoding is
/// lenient (random bytes often decode to an empty message), so the result is also checked
/// for the parts every ONNX model has; anything else is an <see cref="InvalidDataException"/>
/// naming the file and the reason.
/// </summary>
public static class OnnxModelReader
{
    public static ModelProto Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"ONNX file '{path}' does not exist.", path);
        ModelProto model;
        try
        {
            using var stream = File.OpenRead(path);
            model = ModelProto.Parser.ParseFrom(stream);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new InvalidDataException($"'{path}' is not a readable ONNX model: the protobuf data is {(e.Message.Contains("truncated", StringComparison.OrdinalIgnoreCase) ? "truncated" : "malformed")} ({e.Message}).", e);
        }
        Check(model, path);
        return model;
    }

    public static void Check(ModelProto model, string path)
    {
        if (model.IrVersion <= 0 || model.Graph is null)
            throw new InvalidDataException($"'{path}' is not an ONNX model: it has no IR version or no graph.");
        if (model.Graph.Node.Count == 0)
            throw new InvalidDataException($"'{path}' is not a usable ONNX model: its graph has no nodes.");
        if (model.Graph.Output.Count == 0)
            throw new InvalidDataException($"'{path}' is not a usable ONNX model: its graph declares no output.");
        var external = model.Graph.Initializer.FirstOrDefault(t => t.DataLocation == TensorProto.Types.DataLocation.External);
        if (external is not null)
            throw new InvalidDataException($"'{path}' keeps initializer '{external.Name}' in an external data file; ConvViz reads self-contained ONNX files only (re-export without external data).");
    }

    /// <summary>The opset of the default (ai.onnx) domain.</summary>
    public static long DefaultOpset(ModelProto model)
        => model.OpsetImport.Where(o => o.Domain is "" or "ai.onnx").Select(o => o.Version).DefaultIfEmpty(1).Max();
}

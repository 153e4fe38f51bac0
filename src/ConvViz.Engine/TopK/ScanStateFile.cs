using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Serialization;
using ConvViz.Engine.Graph;
using ConvViz.Engine.Image;
using ConvViz.Engine.Models;

namespace ConvViz.Engine.TopK;

/// <summary>
/// Reads and writes scan states as JSON (format version 2, docs/state-format.md; version 1,
/// without a checksum, is still read). Writing is
/// atomic: a temporary file in the same directory is written and flushed to disk, then
/// renamed over the target, so a crash leaves either the old state or the new one. Reading
/// checks the checksum, then the meaning (<see cref="ScanStateValidation"/>), and throws
/// <see cref="ScanStateException"/>; it never writes.
/// </summary>
public static class ScanStateFile
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        WriteIndented = false,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public static void Save(ScanState state, string path)
    {
        var full = Path.GetFullPath(path);
        // A state this file could not load again is never written (a NaN activation, say).
        ScanStateValidation.Validate(state, full, writing: true);
        var dir = Path.GetDirectoryName(full) ?? ".";
        Directory.CreateDirectory(dir);
        var temp = Path.Combine(dir, "." + Path.GetFileName(full) + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp");
        try
        {
            var bytes = JsonSerializer.SerializeToUtf8Bytes(ToDto(state), Json);
            SealChecksum(bytes);
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                stream.Write(bytes, 0, bytes.Length);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        catch (IOException e)
        {
            try { File.Delete(temp); } catch (IOException) { }
            // The OS names the temporary file; the user asked for the state file, which is unchanged.
            throw new IOException($"Cannot write scan state '{full}': {e.Message.Replace($" : '{temp}'", "", StringComparison.Ordinal)}. The previous state is unchanged; free space and run the same command again to resume.", e);
        }
        catch
        {
            try { File.Delete(temp); } catch (IOException) { }
            throw;
        }
    }

    public static ScanState Load(string path)
    {
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full)) throw new ScanStateException(full, "it is a directory.");
        if (!File.Exists(full)) throw new ScanStateException(full, "the file does not exist.");
        byte[] bytes;
        try { bytes = File.ReadAllBytes(full); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new ScanStateException(full, "it cannot be read: " + e.Message, e); }
        if (bytes.Length == 0) throw new ScanStateException(full, "the file is empty (an interrupted write by another tool?).");

        StateDto? dto;
        try
        {
            // Version first, so a newer file gets "newer" rather than a confusing schema error.
            using (var doc = JsonDocument.Parse(bytes))
            {
                var root = doc.RootElement;
                if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("format", out var f) || f.ValueKind != JsonValueKind.String || f.GetString() != ScanState.FormatName)
                    throw new ScanStateException(full, $"it is not a ConvViz scan state (no \"format\": \"{ScanState.FormatName}\").");
                if (!root.TryGetProperty("version", out var v) || v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out int version))
                    throw new ScanStateException(full, "it has no format version.");
                if (version > ScanState.FormatVersion)
                    throw new ScanStateException(full, $"it has format version {version}, written by a newer ConvViz; this one reads version {ScanState.FormatVersion}. Update ConvViz.");
                if (version < 1) throw new ScanStateException(full, $"format version {version} is not valid.");
                if (version >= 2) VerifyChecksum(bytes, root, full);
            }
            dto = JsonSerializer.Deserialize<StateDto>(bytes, Json);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or ArgumentException or FormatException or System.Text.DecoderFallbackException)
        {
            // Invalid UTF-8 inside a string, a number out of range: all damage to the file.
            throw new ScanStateException(full, $"the JSON is corrupt or truncated ({e.Message}).", e);
        }
        if (dto is null) throw new ScanStateException(full, "the file holds no state.");
        ScanState state;
        try
        {
            state = FromDto(dto, full);
            ScanStateValidation.Validate(state, full, writing: false);
        }
        catch (Exception e) when (e is not ScanStateException and not OutOfMemoryException)
        {
            throw new ScanStateException(full, $"its content is inconsistent ({e.GetType().Name}: {e.Message}).", e);
        }
        state.SourcePath = full;
        return state;
    }

    private static readonly byte[] ChecksumKey = System.Text.Encoding.ASCII.GetBytes("\"checksum\":\"");
    private const int ChecksumLength = 64;

    // The checksum is SHA-256 over the file's bytes with its own 64 hex digits read as zeros:
    // one pass, no canonical re-serialisation, and any changed byte (a flipped bit, a hand
    // edit) anywhere in the file is caught before a single value is believed.
    private static int ChecksumOffset(byte[] bytes)
    {
        int at = bytes.AsSpan().IndexOf(ChecksumKey);
        return at < 0 || at + ChecksumKey.Length + ChecksumLength > bytes.Length ? -1 : at + ChecksumKey.Length;
    }

    private static string ChecksumOf(byte[] bytes, int offset)
    {
        var copy = (byte[])bytes.Clone();
        copy.AsSpan(offset, ChecksumLength).Fill((byte)'0');
        return Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(copy)).ToLowerInvariant();
    }

    private static void SealChecksum(byte[] bytes)
    {
        int offset = ChecksumOffset(bytes);
        System.Text.Encoding.ASCII.GetBytes(ChecksumOf(bytes, offset)).CopyTo(bytes, offset);
    }

    private static void VerifyChecksum(byte[] bytes, JsonElement root, string full)
    {
        if (!root.TryGetProperty("checksum", out var c) || c.ValueKind != JsonValueKind.String || !ScanStateValidation.IsSha256(c.GetString()))
            throw new ScanStateException(full, "it has no valid \"checksum\" (64 lower-case hex digits).");
        int offset = ChecksumOffset(bytes);
        if (offset < 0 || System.Text.Encoding.ASCII.GetString(bytes, offset, ChecksumLength) != c.GetString())
            throw new ScanStateException(full, "its checksum field is malformed.");
        var actual = ChecksumOf(bytes, offset);
        if (actual != c.GetString())
            throw new ScanStateException(full, $"its content does not match its checksum (stored {c.GetString()![..12]}..., content {actual[..12]}...): the file was damaged or edited after it was written.");
    }

    private static StateDto ToDto(ScanState s) => new()
    {
        Format = ScanState.FormatName,
        Version = ScanState.FormatVersion,
        Checksum = new string('0', ChecksumLength),
        Model = new ModelDto { Name = s.Model.Name, Source = s.Model.Source, WeightsSha256 = s.Model.WeightsSha256 },
        InputWidth = s.InputWidth,
        InputHeight = s.InputHeight,
        Stage = s.Stage.ToString(),
        Units = s.Units?.ToArray(),
        K = s.K,
        AllowSameImage = s.AllowSameImage,
        Shard = s.Shard?.ToString(),
        Images = s.Images.Select(i => new ImageDto
        {
            Seq = i.Sequence, Path = i.Path, Sha256 = i.ContentHash,
            Geometry = new[] { i.Geometry.OriginalWidth, i.Geometry.OriginalHeight, i.Geometry.ResizedWidth, i.Geometry.ResizedHeight, i.Geometry.CropLeft, i.Geometry.CropTop, i.Geometry.InputWidth, i.Geometry.InputHeight },
        }).ToList(),
        Layers = s.Layers.Select(l => new LayerDto
        {
            Name = l.Tap.Layer, Node = l.Tap.Node, Channels = l.Tap.Channels, Height = l.Tap.Height, Width = l.Tap.Width,
            Units = l.Tap.Units.ToArray(),
            FieldY = new[] { l.Tap.Field.Y.Start, l.Tap.Field.Y.Jump, l.Tap.Field.Y.Size },
            FieldX = new[] { l.Tap.Field.X.Start, l.Tap.Field.X.Jump, l.Tap.Field.X.Size },
            FieldGlobal = l.Tap.Field.Global,
            Rows = l.Table.Rows, Values = l.Table.Values, Images = l.Table.Sequences, Positions = l.Table.Positions,
        }).ToList(),
    };

    private static ScanState FromDto(StateDto d, string path)
    {
        ScanStateException Bad(string why) => new(path, why);
        if (d.Model is null || d.Model.Name is null || d.Model.Source is null || d.Model.WeightsSha256 is null) throw Bad("the model identity is missing.");
        if (!Enum.TryParse<Stage>(d.Stage, ignoreCase: false, out var stage)) throw Bad($"stage '{d.Stage}' is unknown.");
        if (d.K < 1) throw Bad($"k = {d.K} is not valid.");
        if (d.InputWidth < 1 || d.InputHeight < 1) throw Bad("the input size is missing.");
        ShardSpec? shard = null;
        if (d.Shard is not null)
        {
            try { shard = ShardSpec.Parse(d.Shard); } catch (ArgumentException e) { throw Bad(e.Message); }
        }
        if (d.Images is null || d.Layers is null) throw Bad("the image list or the layer list is missing (truncated file?).");

        var images = new List<StateImage>(d.Images.Count);
        var seqs = new HashSet<long>();
        foreach (var i in d.Images)
        {
            if (i.Path is null || i.Sha256 is null || i.Geometry is not { Length: 8 }) throw Bad("an image entry is incomplete.");
            if (!seqs.Add(i.Seq)) throw Bad($"image sequence {i.Seq} appears twice.");
            var g = i.Geometry;
            if (g[0] < 1 || g[1] < 1 || g[2] < 1 || g[3] < 1) throw Bad($"image '{i.Path}' has an invalid geometry.");
            images.Add(new StateImage(i.Seq, i.Path, i.Sha256, new ImageGeometry(g[0], g[1], g[2], g[3], g[4], g[5], g[6], g[7])));
        }
        // The tie-break relies on sequence order being path order.
        var bySeq = images.OrderBy(i => i.Sequence).ToList();
        for (int i = 1; i < bySeq.Count; i++)
            if (string.CompareOrdinal(bySeq[i - 1].Path, bySeq[i].Path) >= 0)
                throw Bad($"image sequence numbers are not in path order ('{bySeq[i - 1].Path}' before '{bySeq[i].Path}').");

        var layers = new List<StateLayer>(d.Layers.Count);
        foreach (var l in d.Layers)
        {
            if (l.Name is null || l.Units is null || l.FieldY is not { Length: 3 } || l.FieldX is not { Length: 3 } || l.Values is null || l.Images is null || l.Positions is null)
                throw Bad("a layer entry is incomplete.");
            int u = l.Units.Length;
            if (l.Rows < 0 || l.Rows > d.K || l.Values.Length != l.Rows * u || l.Images.Length != l.Rows * u || l.Positions.Length != l.Rows * u)
                throw Bad($"layer '{l.Name}' has {l.Values.Length} values for {l.Rows} ranks of {u} units.");
            if (l.Images.Any(s => !seqs.Contains(s))) throw Bad($"layer '{l.Name}' refers to an image that is not in the image list.");
            long hw = (long)l.Height * l.Width;
            if (l.Positions.Any(p => p < 0 || p >= hw)) throw Bad($"layer '{l.Name}' has a position outside its {l.Height}x{l.Width} map.");
            if (l.Units.Any(x => x < 0 || x >= l.Channels)) throw Bad($"layer '{l.Name}' lists a unit outside 0..{l.Channels - 1}.");
            var field = new ReceptiveField(new AxisField(l.FieldY[0], l.FieldY[1], l.FieldY[2]), new AxisField(l.FieldX[0], l.FieldX[1], l.FieldX[2]), l.FieldGlobal);
            var tap = new TapSpec(l.Name, l.Node, l.Channels, l.Height, l.Width, l.Units, field);
            layers.Add(new StateLayer(tap, new TopKTable(l.Rows, u, l.Values, l.Images, l.Positions)));
        }
        return new ScanState(new ModelIdentity(d.Model.Name, d.Model.Source, d.Model.WeightsSha256), d.InputWidth, d.InputHeight, stage, d.Units,
            d.K, d.AllowSameImage, shard, images, layers);
    }

    private sealed class StateDto
    {
        public string? Format { get; set; }
        public int Version { get; set; }
        /// <summary>Version 2 on: SHA-256 of the file with these 64 digits as zeros.</summary>
        public string? Checksum { get; set; }
        public ModelDto? Model { get; set; }
        public int InputWidth { get; set; }
        public int InputHeight { get; set; }
        public string? Stage { get; set; }
        public int[]? Units { get; set; }
        public int K { get; set; }
        public bool AllowSameImage { get; set; }
        public string? Shard { get; set; }
        public List<ImageDto>? Images { get; set; }
        public List<LayerDto>? Layers { get; set; }
    }

    private sealed class ModelDto
    {
        public string? Name { get; set; }
        public string? Source { get; set; }
        public string? WeightsSha256 { get; set; }
    }

    private sealed class ImageDto
    {
        public long Seq { get; set; }
        public string? Path { get; set; }
        public string? Sha256 { get; set; }
        /// <summary>originalW, originalH, resizedW, resizedH, cropLeft, cropTop, inputW, inputH.</summary>
        public int[]? Geometry { get; set; }
    }

    private sealed class LayerDto
    {
        public string? Name { get; set; }
        public int Node { get; set; }
        public int Channels { get; set; }
        public int Height { get; set; }
        public int Width { get; set; }
        public int[]? Units { get; set; }
        public long[]? FieldY { get; set; }
        public long[]? FieldX { get; set; }
        public bool FieldGlobal { get; set; }
        public int Rows { get; set; }
        public float[]? Values { get; set; }
        public long[]? Images { get; set; }
        public long[]? Positions { get; set; }
    }
}

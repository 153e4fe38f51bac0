using System;
using System.Text;
using SixLabors.ImageSharp.Formats;

namespace ConvViz.Engine.Image;

/// <summary>
/// Byte-level checks ImageSharp does not make: naming image formats it cannot read (so
/// the error says "HEIC" rather than "not an image"), describing non-image content, and
/// spotting files cut short (PNG, JPEG, GIF, WebP, BMP, TIFF: by their container), which
/// ImageSharp 2.1 often decodes silently with the missing rows left blank.
/// </summary>
internal static class FileSignatures
{
    public static string? UnsupportedFormatName(ReadOnlySpan<byte> b)
    {
        if (b.Length >= 12 && b.Slice(4, 4).SequenceEqual("ftyp"u8))
        {
            var brand = Encoding.ASCII.GetString(b.Slice(8, 4));
            if (brand is "heic" or "heix" or "hevc" or "heim" or "heis" or "mif1" or "msf1") return "HEIF/HEIC";
            if (brand is "avif" or "avis") return "AVIF";
        }
        if (b.Length >= 12 && b[..12].SequenceEqual(new byte[] { 0, 0, 0, 0x0C, 0x6A, 0x50, 0x20, 0x20, 0x0D, 0x0A, 0x87, 0x0A })) return "JPEG 2000";
        if (b.Length >= 4 && b[0] == 0xFF && b[1] == 0x4F && b[2] == 0xFF && b[3] == 0x51) return "JPEG 2000 codestream";
        if (b.Length >= 4 && b[..4].SequenceEqual("8BPS"u8)) return "Photoshop PSD";
        if (b.Length >= 4 && b[0] == 0 && b[1] == 0 && (b[2] == 1 || b[2] == 2) && b[3] == 0) return "Windows icon (ICO/CUR)";
        if (b.Length >= 4 && b[0] == 0xFF && b[1] == 0x0A) return "JPEG XL";
        if (b.Length >= 12 && b[..12].SequenceEqual(new byte[] { 0, 0, 0, 0x0C, (byte)'J', (byte)'X', (byte)'L', (byte)' ', 0x0D, 0x0A, 0x87, 0x0A })) return "JPEG XL";
        if (b.Length >= 4 && b[..4].SequenceEqual("%PDF"u8)) return "PDF";
        if (b.Length >= 5 && (b[..5].SequenceEqual("<?xml"u8) || b[..4].SequenceEqual("<svg"u8)) && Encoding.UTF8.GetString(b[..Math.Min(b.Length, 512)]).Contains("<svg", StringComparison.OrdinalIgnoreCase)) return "SVG";
        return null;
    }

    /// <summary>A short hint at what the bytes are, for the NotAnImage message.</summary>
    public static string Describe(ReadOnlySpan<byte> b)
    {
        var head = b[..Math.Min(b.Length, 256)];
        int printable = 0;
        foreach (var c in head) if (c is 9 or 10 or 13 || (c >= 32 && c < 127) || c >= 0x80) printable++;
        if (printable == head.Length)
        {
            var text = Encoding.UTF8.GetString(head).TrimStart('\uFEFF', ' ', '\t', '\r', '\n');
            if (text.StartsWith("<!doctype html", StringComparison.OrdinalIgnoreCase) || text.StartsWith("<html", StringComparison.OrdinalIgnoreCase))
                return "it is an HTML page";
            var first = text.Split('\n')[0];
            if (first.Length > 40) first = first[..40] + "...";
            return $"it is text starting \"{first.Trim()}\"";
        }
        return "unrecognised bytes " + Convert.ToHexString(b[..Math.Min(b.Length, 8)]);
    }

    public static bool LooksTruncated(IImageFormat format, ReadOnlySpan<byte> b)
    {
        switch (format.Name.ToUpperInvariant())
        {
            case "PNG":
                // Every complete PNG ends with an IEND chunk; tolerate trailing junk after it.
                return b.LastIndexOf("IEND"u8) < 0;
            case "JPEG":
            {
                // The last scan (SOS, FFDA) must be followed by EOI (FFD9). Searching after the last
                // SOS skips an EXIF thumbnail's own EOI near the start of the file.
                int sos = LastMarker(b, 0xDA);
                if (sos < 0) return true;
                return LastMarker(b[sos..], 0xD9) < 0;
            }
            case "GIF":
                return GifTruncated(b);
            case "WEBP":
                return RiffTruncated(b);
            case "BMP":
                return BmpTruncated(b);
            case "TIFF":
                return TiffTruncated(b);
            default:
                return false;
        }
    }

    /// <summary>
    /// Walks the GIF block structure (header, colour tables, extensions, image descriptors and
    /// their LZW sub-blocks) to the trailer (3B). Running off the end first means the file was
    /// cut short; ImageSharp would have decoded what was there and filled the rest.
    /// </summary>
    private static bool GifTruncated(ReadOnlySpan<byte> b)
    {
        if (b.Length < 13) return true;
        int i = 13;
        if ((b[10] & 0x80) != 0) i += 3 << ((b[10] & 7) + 1);
        while (true)
        {
            if (i >= b.Length) return true;
            byte block = b[i];
            if (block == 0x3B) return false;
            if (block == 0x21)
            {
                i += 2; // introducer, label
                if (!SkipSubBlocks(b, ref i)) return true;
            }
            else if (block == 0x2C)
            {
                if (i + 10 > b.Length) return true;
                byte flags = b[i + 9];
                i += 10;
                if ((flags & 0x80) != 0) i += 3 << ((flags & 7) + 1);
                i += 1; // LZW minimum code size
                if (!SkipSubBlocks(b, ref i)) return true;
            }
            else return false; // not a block start: damaged rather than cut; the decoder decides
        }
    }

    private static bool SkipSubBlocks(ReadOnlySpan<byte> b, ref int i)
    {
        while (true)
        {
            if (i >= b.Length) return false;
            int size = b[i];
            i += 1 + size;
            if (size == 0) return i <= b.Length;
        }
    }

    /// <summary>WebP is a RIFF container: the size after "RIFF" must fit in the file, and so must every chunk.</summary>
    private static bool RiffTruncated(ReadOnlySpan<byte> b)
    {
        if (b.Length < 12) return true;
        long riff = BitConverter.ToUInt32(b.Slice(4, 4)) + 8L;
        if (riff > b.Length) return true;
        long i = 12;
        while (i + 8 <= riff)
        {
            long size = BitConverter.ToUInt32(b.Slice((int)i + 4, 4));
            i += 8 + size + (size & 1);
            if (i > riff + 1) return true; // odd-sized last chunk may omit its pad byte
        }
        return false;
    }

    /// <summary>An uncompressed BMP must hold its pixel rows after the pixel-data offset; any BMP its declared file size.</summary>
    private static bool BmpTruncated(ReadOnlySpan<byte> b)
    {
        if (b.Length < 30) return true;
        long declared = BitConverter.ToUInt32(b.Slice(2, 4));
        if (declared > b.Length) return true;
        long offset = BitConverter.ToUInt32(b.Slice(10, 4));
        int header = BitConverter.ToInt32(b.Slice(14, 4));
        long width, height; int bits, compression = 0;
        if (header == 12)
        {
            width = BitConverter.ToUInt16(b.Slice(18, 2)); height = BitConverter.ToUInt16(b.Slice(20, 2)); bits = BitConverter.ToUInt16(b.Slice(24, 2));
        }
        else
        {
            if (b.Length < 34) return true;
            width = BitConverter.ToInt32(b.Slice(18, 4)); height = Math.Abs((long)BitConverter.ToInt32(b.Slice(22, 4)));
            bits = BitConverter.ToUInt16(b.Slice(28, 2)); compression = BitConverter.ToInt32(b.Slice(30, 4));
        }
        // BI_RGB or BI_BITFIELDS / ALPHABITFIELDS: rows padded to 4 bytes.
        if (compression is 0 or 3 or 6)
        {
            long stride = (width * bits + 31) / 32 * 4;
            if (offset + stride * height > b.Length) return true;
        }
        return false;
    }

    /// <summary>Every strip or tile the first IFD points at must lie inside the file.</summary>
    private static bool TiffTruncated(ReadOnlySpan<byte> b)
    {
        if (b.Length < 8) return true;
        bool le = b[0] == (byte)'I';
        bool big = Read16(b, 2, le) == 43;
        if (big) return false; // BigTIFF: ImageSharp 2.1 does not read it; the decoder reports that
        long ifd = Read32(b, 4, le);
        if (ifd + 2 > b.Length) return true;
        int count = Read16(b, (int)ifd, le);
        if (ifd + 2 + 12L * count + 4 > b.Length) return true;
        long[]? offsets = null, counts = null;
        for (int e = 0; e < count; e++)
        {
            int at = (int)ifd + 2 + 12 * e;
            int tag = Read16(b, at, le), type = Read16(b, at + 2, le);
            long n = Read32(b, at + 4, le);
            if (tag is not (273 or 279 or 324 or 325)) continue;
            int size = type == 3 ? 2 : 4;
            long where = n * size <= 4 ? at + 8 : Read32(b, at + 8, le);
            if (where + n * size > b.Length) return true;
            var values = new long[n];
            for (long k = 0; k < n; k++) values[k] = size == 2 ? Read16(b, (int)(where + 2 * k), le) : Read32(b, (int)(where + 4 * k), le);
            if (tag is 273 or 324) offsets = values; else counts = values;
        }
        if (offsets is null || counts is null) return false;
        for (int k = 0; k < Math.Min(offsets.Length, counts.Length); k++)
            if (offsets[k] + counts[k] > b.Length) return true;
        return false;
    }

    private static int Read16(ReadOnlySpan<byte> b, int at, bool le)
        => at + 2 > b.Length ? 0 : le ? b[at] | b[at + 1] << 8 : b[at] << 8 | b[at + 1];

    private static long Read32(ReadOnlySpan<byte> b, int at, bool le)
        => at + 4 > b.Length ? 0 : le ? (uint)(b[at] | b[at + 1] << 8 | b[at + 2] << 16 | b[at + 3] << 24) : (uint)(b[at] << 24 | b[at + 1] << 16 | b[at + 2] << 8 | b[at + 3]);

    private static int LastMarker(ReadOnlySpan<byte> b, byte marker)
    {
        for (int i = b.Length - 2; i >= 0; i--)
            if (b[i] == 0xFF && b[i + 1] == marker) return i;
        return -1;
    }
}

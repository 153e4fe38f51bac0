using System;
using System.Text;
using SixLabors.ImageSharp.Formats;

namespace ConvViz.Engine.Image;

/// <summary>
/// Byte-level checks ImageSharp does not make: naming image formats it cannot read (so
/// the error says "HEIC" rather than "not an image"), describing non-image content, and
/// spotting PNG/JPEG files cut short, which ImageSharp 2.1 often decodes silently with
/// the missing rows left blank.
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
            default:
                return false;
        }
    }

    private static int LastMarker(ReadOnlySpan<byte> b, byte marker)
    {
        for (int i = b.Length - 2; i >= 0; i--)
            if (b[i] == 0xFF && b[i + 1] == marker) return i;
        return -1;
    }
}

using System;
using System.Net;

namespace ConvViz.Engine.Report;

/// <summary>
/// Escaping for everything that comes from files or users. Text and attribute values are
/// encoded the same way: &amp; &lt; &gt; " and ' all become entities, so a value can neither
/// open a tag nor leave a (double- or single-quoted) attribute.
/// </summary>
public static class HtmlText
{
    public static string Encode(string? value) => string.IsNullOrEmpty(value) ? "" : WebUtility.HtmlEncode(value);

    /// <summary>A data: URI for embedded bytes; base64 has no characters that need escaping.</summary>
    public static string DataUri(string mediaType, byte[] bytes) => $"data:{mediaType};base64,{Convert.ToBase64String(bytes)}";
}

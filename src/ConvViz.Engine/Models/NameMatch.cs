using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;

namespace ConvViz.Engine.Models;

/// <summary>Wildcard matching (*, ?, [abc]) and nearest-name suggestions, without PowerShell.</summary>
public static class NameMatch
{
    public static bool HasWildcard(string pattern) => pattern.IndexOfAny(new[] { '*', '?', '[' }) >= 0;

    public static Regex ToRegex(string pattern)
    {
        var sb = new StringBuilder("^");
        for (int i = 0; i < pattern.Length; i++)
        {
            char c = pattern[i];
            if (c == '*') sb.Append(".*");
            else if (c == '?') sb.Append('.');
            else if (c == '[')
            {
                int close = pattern.IndexOf(']', i + 1);
                if (close < 0) { sb.Append(@"\["); continue; }
                sb.Append('[').Append(pattern, i + 1, close - i - 1).Append(']');
                i = close;
            }
            else sb.Append(Regex.Escape(c.ToString()));
        }
        return new Regex(sb.Append('$').ToString(), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
    }

    /// <summary>Up to three candidates by edit distance, closest first.</summary>
    public static IReadOnlyList<string> Nearest(string wanted, IEnumerable<string> candidates)
    {
        var w = wanted.ToLowerInvariant();
        return candidates
            .Select(c => (Name: c, Distance: Distance(w, c.ToLowerInvariant())))
            .Where(x => x.Distance <= Math.Max(2, w.Length / 3))
            // Among equally close names, the nearest number first: conv6 suggests conv5 before conv1.
            .OrderBy(x => x.Distance).ThenBy(x => NumberGap(w, x.Name)).ThenBy(x => x.Name, StringComparer.Ordinal)
            .Take(3).Select(x => x.Name).ToList();
    }

    private static long NumberGap(string a, string b)
    {
        static long? Trailing(string s)
        {
            int i = s.Length;
            while (i > 0 && char.IsAsciiDigit(s[i - 1])) i--;
            return i < s.Length && s.Length - i <= 9 ? long.Parse(s[i..], System.Globalization.CultureInfo.InvariantCulture) : null;
        }
        var x = Trailing(a); var y = Trailing(b);
        return x is null || y is null ? long.MaxValue : Math.Abs(x.Value - y.Value);
    }

    public static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (int j = 0; j <= b.Length; j++) d[0, j] = j;
        for (int i = 1; i <= a.Length; i++)
            for (int j = 1; j <= b.Length; j++)
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
        return d[a.Length, b.Length];
    }
}

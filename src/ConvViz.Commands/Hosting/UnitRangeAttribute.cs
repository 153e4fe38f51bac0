using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;

namespace ConvViz.Commands.Hosting;

/// <summary>
/// Lets -Unit take integers, arrays and ranges: 5, 0..31 (an expression or, in argument
/// mode, the text "0..31"), "0-31", or a mix such as 0..3, 10.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class UnitRangeAttribute : ArgumentTransformationAttribute
{
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        var units = new List<int>();
        Add(inputData, units);
        return units.ToArray();
    }

    private static void Add(object? value, List<int> units)
    {
        value = value is PSObject pso ? pso.BaseObject : value;
        switch (value)
        {
            case null: return;
            case string s: Parse(s, units); return;
            case IEnumerable many: foreach (var v in many) Add(v, units); return;
            default:
                try { units.Add(Convert.ToInt32(value, CultureInfo.InvariantCulture)); }
                catch (Exception e) when (e is FormatException or InvalidCastException or OverflowException)
                {
                    throw new ArgumentTransformationMetadataException($"'{value}' is not a unit number or range (use 5, 0..31 or 0-31).", e);
                }
                return;
        }
    }

    private static void Parse(string text, List<int> units)
    {
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var bounds = part.Contains("..") ? part.Split("..") : part.Split('-', 2);
            if (bounds.Length == 2 && int.TryParse(bounds[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out int a)
                && int.TryParse(bounds[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out int b) && !(part.Contains('-') && bounds[0].Length == 0))
            {
                int step = a <= b ? 1 : -1;
                for (int u = a; ; u += step) { units.Add(u); if (u == b) break; }
                continue;
            }
            if (int.TryParse(part, NumberStyles.Integer, CultureInfo.InvariantCulture, out int one)) { units.Add(one); continue; }
            throw new ArgumentTransformationMetadataException($"'{part}' is not a unit number or range (use 5, 0..31 or 0-31).");
        }
    }
}

using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;

namespace ConvViz.Commands.Hosting;

/// <summary>
/// Lets -Region take four integers X, Y, Width, Height as an array (100, 80, 40, 40) or as
/// text ("100,80,40,40" or "100 80 40 40"), so a CSV column binds by property name.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class RegionAttribute : ArgumentTransformationAttribute
{
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        var values = new List<int>();
        Add(inputData, values);
        if (values.Count != 4)
            throw new ArgumentTransformationMetadataException($"A region is 4 integers X, Y, Width, Height (for example 100,80,40,40); got {values.Count}.");
        return values.ToArray();
    }

    private static void Add(object? value, List<int> values)
    {
        value = value is PSObject pso ? pso.BaseObject : value;
        switch (value)
        {
            case null: return;
            case string s:
                foreach (var part in s.Split(new[] { ',', ' ', ';' }, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    if (!int.TryParse(part, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v))
                        throw new ArgumentTransformationMetadataException($"'{part}' in region '{s}' is not an integer (use X,Y,Width,Height, for example 100,80,40,40).");
                    values.Add(v);
                }
                return;
            case IEnumerable many: foreach (var v in many) Add(v, values); return;
            default:
                try { values.Add(Convert.ToInt32(value, CultureInfo.InvariantCulture)); }
                catch (Exception e) when (e is FormatException or InvalidCastException or OverflowException)
                {
                    throw new ArgumentTransformationMetadataException($"'{value}' is not an integer (a region is X,Y,Width,Height).", e);
                }
                return;
        }
    }
}

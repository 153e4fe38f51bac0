using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using System.Text.RegularExpressions;

namespace ConvViz.Commands.Hosting;

/// <summary>
/// Binds activation records by property name, so records that went through Export-Csv /
/// Import-Csv, Export-Clixml / Import-Clixml or a job (Start-Job, Receive-Job) reach
/// Invoke-Deconvolution as they left Get-TopActivations: the position and boxes from their
/// nested properties or their text ("(3, 4)", "[0:10, 5:15]"); the weights by WeightsSha256.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class ActivationArgumentAttribute : ArgumentTransformationAttribute
{
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        var value = inputData is PSObject pso ? pso.BaseObject : inputData;
        if (value is Activation a) return a;
        if (value is Activation[]) return value;
        if (value is IList list)
        {
            var result = new List<Activation>(list.Count);
            foreach (var item in list) result.Add(Convert(item));
            return result.ToArray();
        }
        return Convert(inputData);
    }

    private static Activation Convert(object? item)
    {
        if (item is PSObject { BaseObject: Activation direct }) return direct;
        if (item is Activation a) return a;
        if (item is null) throw new ArgumentTransformationMetadataException("An activation record is null.");
        var o = item as PSObject ?? PSObject.AsPSObject(item);
        string Text(string name) => o.Properties[name]?.Value is { } v ? (v is PSObject p ? p.BaseObject : v).ToString() ?? "" : "";
        foreach (var required in new[] { "ImagePath", "Layer", "Unit" })
            if (o.Properties[required]?.Value is null)
                throw new ArgumentTransformationMetadataException(
                    $"Cannot use {o.TypeNames[0]} as an activation: it has no {required} property. Invoke-Deconvolution takes ConvViz.Activation records, or objects with their properties (ImagePath, Layer, Unit, Position, Stage, WeightsSha256), as Import-Csv and Import-Clixml return them.");
        try
        {
            var model = o.Properties["Model"]?.Value is PSObject { BaseObject: Model m } ? m : o.Properties["Model"]?.Value as Model;
            return new Activation
            {
                ModelName = Text("ModelName"),
                ModelSource = Text("ModelSource"),
                WeightsSha256 = Text("WeightsSha256"),
                Layer = Text("Layer"),
                Stage = Text("Stage") is { Length: > 0 } stage ? stage : "Activation",
                Unit = Number<int>(o, "Unit"),
                Rank = Number<int>(o, "Rank"),
                Value = Number<float>(o, "Value"),
                ImagePath = Text("ImagePath"),
                Position = PositionOf(o.Properties["Position"]?.Value),
                PatchBox = BoxOf(o.Properties["PatchBox"]?.Value),
                InputBox = BoxOf(o.Properties["InputBox"]?.Value),
                ContentHash = Text("ContentHash"),
                Model = model,
            };
        }
        catch (Exception e) when (e is not ArgumentTransformationMetadataException)
        {
            throw new ArgumentTransformationMetadataException($"Cannot read the activation record '{Text("ImagePath")}' {Text("Layer")}[{Text("Unit")}]: {e.Message}", e);
        }
    }

    private static T Number<T>(PSObject o, string name)
    {
        var v = o.Properties[name]?.Value;
        if (v is null || (v is string s && s.Length == 0)) return default!;
        return LanguagePrimitives.ConvertTo<T>(v is PSObject p ? p.BaseObject : v);
    }

    private static long Long(PSObject o, string name) => Number<long>(o, name);

    // A FeaturePosition, its deserialized copy (Y, X), or its text "(y, x)"; missing: the unit's strongest position.
    private static FeaturePosition PositionOf(object? v)
    {
        v = v is PSObject p && p.BaseObject is not PSCustomObject ? p.BaseObject : v;
        switch (v)
        {
            case null: return new FeaturePosition(-1, -1);
            case FeaturePosition f: return f;
            case string s:
                var m = Regex.Match(s, @"^\s*\(?\s*(-?\d+)\s*,\s*(-?\d+)\s*\)?\s*$");
                if (!m.Success) throw new FormatException($"Position '{s}' is not \"(y, x)\".");
                return new FeaturePosition(int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
            default:
                var o = PSObject.AsPSObject(v);
                return new FeaturePosition(Number<int>(o, "Y"), Number<int>(o, "X"));
        }
    }

    private static PatchBox BoxOf(object? v)
    {
        v = v is PSObject p && p.BaseObject is not PSCustomObject ? p.BaseObject : v;
        switch (v)
        {
            case null: return new PatchBox(0, 0, 0, 0);
            case PatchBox b: return b;
            case string s:
                var m = Regex.Match(s, @"^\s*\[\s*(-?\d+)\s*:\s*(-?\d+)\s*,\s*(-?\d+)\s*:\s*(-?\d+)\s*\]\s*$");
                if (!m.Success) return new PatchBox(0, 0, 0, 0);
                long L(int g) => long.Parse(m.Groups[g].Value, CultureInfo.InvariantCulture);
                return new PatchBox(L(1), L(3), L(2), L(4));
            default:
                var o = PSObject.AsPSObject(v);
                return new PatchBox(Long(o, "Top"), Long(o, "Left"), Long(o, "Bottom"), Long(o, "Right"));
        }
    }
}

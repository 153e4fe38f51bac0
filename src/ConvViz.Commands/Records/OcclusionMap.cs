using System.Collections.Generic;
using System.Management.Automation;
using ConvViz.Engine.Analysis;

namespace ConvViz;

/// <summary>
/// The occlusion sensitivity of one image (Measure-OcclusionSensitivity): maps of Rows x Cols
/// indexed [row, col], the grid's geometry and the unoccluded baselines. Export-HeatMap draws it.
/// </summary>
public sealed class OcclusionMap
{
    public string ImagePath { get; init; } = "";
    public string ModelName { get; init; } = "";
    /// <summary>Size of the original image, which Cells' Original* boxes and the heat maps refer to.</summary>
    public int ImageWidth { get; init; }
    public int ImageHeight { get; init; }
    public int InputWidth { get; init; }
    public int InputHeight { get; init; }
    /// <summary>The class whose probability is mapped; null for feature extractors.</summary>
    public int? Class { get; init; }
    public string? ClassName { get; init; }
    public float? BaselineProbability { get; init; }
    public int? BaselineTopClass { get; init; }
    public string Layer { get; init; } = "";
    public int Unit { get; init; }
    public float BaselineActivation { get; init; }
    public int Rows { get; init; }
    public int Cols { get; init; }
    public int PatchSize { get; init; }
    public int Stride { get; init; }
    public string Fill { get; init; } = "";
    public float[,]? Probability { get; init; }
    public int[,]? TopClass { get; init; }
    public float[,] Activation { get; init; } = new float[0, 0];
    public float[,]? Distance { get; init; }
    /// <summary>Per cell, row-major: its box and the occluder's box in model-input and original pixels.</summary>
    public IReadOnlyList<OcclusionCell> Cells { get; init; } = new List<OcclusionCell>();

    /// <summary>The engine's result; for Export-HeatMap, extensions and tests.</summary>
    [Hidden]
    public OcclusionResult Result { get; init; } = null!;

    public override string ToString() => $"{System.IO.Path.GetFileName(ImagePath)} {Rows}x{Cols}";

    internal static OcclusionMap From(string imagePath, string modelName, OcclusionResult r)
    {
        var g = r.Grid;
        return new OcclusionMap
        {
            ImagePath = imagePath,
            ModelName = modelName,
            ImageWidth = g.Geometry?.OriginalWidth ?? g.InputWidth,
            ImageHeight = g.Geometry?.OriginalHeight ?? g.InputHeight,
            InputWidth = g.InputWidth,
            InputHeight = g.InputHeight,
            Class = r.Class,
            ClassName = r.ClassName,
            BaselineProbability = r.BaselineProbability,
            BaselineTopClass = r.BaselineTopClass,
            Layer = r.Layer,
            Unit = r.Unit,
            BaselineActivation = r.BaselineActivation,
            Rows = g.Rows,
            Cols = g.Cols,
            PatchSize = g.PatchSize,
            Stride = g.Stride,
            Fill = r.Fill.ToString(),
            Probability = r.Probability is null ? null : To2D(r.Probability, g.Rows, g.Cols),
            TopClass = r.TopClass is null ? null : To2D(r.TopClass, g.Rows, g.Cols),
            Activation = To2D(r.Activation, g.Rows, g.Cols),
            Distance = r.Distance is null ? null : To2D(r.Distance, g.Rows, g.Cols),
            Cells = g.Cells(),
            Result = r,
        };
    }

    private static T[,] To2D<T>(T[] values, int rows, int cols)
    {
        var result = new T[rows, cols];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++) result[r, c] = values[r * cols + c];
        return result;
    }
}

using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using ConvViz.Engine.Grid;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace ConvViz.Engine.Report;

/// <summary>
/// Writes the run as ONE self-contained HTML file: pictures are data: URIs (PNG, or JPEG
/// thumbnails on request), CSS and the small check script are inline, nothing is fetched.
/// Every string that comes from data (layer names, file names, captions, table cells) goes
/// through <see cref="HtmlText.Encode"/>; ids are generated from indices, never from names.
/// </summary>
public static class HtmlReport
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Writes the report to <paramref name="path"/> atomically (temp file + rename).</summary>
    public static void Save(ConvVizReport report, string path, ReportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(report);
        AtomicFile.Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
            Write(report, writer, options);
        });
    }

    /// <summary>The report as a string (small reports, tests).</summary>
    public static string ToHtml(ConvVizReport report, ReportOptions? options = null)
    {
        var sb = new StringWriter(Inv);
        Write(report, sb, options);
        return sb.ToString();
    }

    public static void Write(ConvVizReport report, TextWriter w, ReportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(w);
        options ??= new ReportOptions();
        if (options.UnitsPerPage < 1) throw new ArgumentOutOfRangeException(nameof(options), options.UnitsPerPage, "UnitsPerPage must be at least 1.");

        w.Write("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n");
        w.Write("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        w.Write("<meta name=\"generator\" content=\"ConvViz\">\n");
        w.Write($"<title>{E(report.Title)}</title>\n<style>{ReportAssets.Css}</style>\n</head>\n<body>\n");
        w.Write($"<h1>{E(report.Title)}</h1>\n");
        WriteNavigation(report, w);
        WriteMetadata(report.Metadata, w);
        if (report.Geometry is { } geometry)
        {
            w.Write("<h2 id=\"geometry\">Layer geometry</h2>\n");
            WriteTable(geometry, w);
        }
        if (report.Layers.Count > 0)
        {
            w.Write("<h2 id=\"layers\">Top units per layer</h2>\n");
            w.Write("<p class=\"note\">Each unit shows its strongest activations, projections on the left and the image patches on the right; hover over a cell for the image, value and position.</p>\n");
            for (int i = 0; i < report.Layers.Count; i++) WriteLayer(report.Layers[i], i, w, options);
        }
        if (report.Occlusion.Count > 0) WriteOcclusion(report.Occlusion, w, options);
        if (report.Charts.Count > 0) WriteCharts(report.Charts, w, options);
        if (report.Evolution is { } evolution) WriteEvolution(evolution, w, options);
        w.Write($"<script>{ReportAssets.Script}</script>\n</body></html>\n");
        w.Flush();
    }

    private static void WriteNavigation(ConvVizReport report, TextWriter w)
    {
        w.Write("<nav><ul>\n<li><a href=\"#run\">Run</a></li>\n");
        if (report.Geometry is not null) w.Write("<li><a href=\"#geometry\">Layer geometry</a></li>\n");
        for (int i = 0; i < report.Layers.Count; i++)
            w.Write($"<li><a href=\"#layer-{i}\">{E(report.Layers[i].Name)}</a> ({report.Layers[i].Units.Count.ToString(Inv)} units)</li>\n");
        if (report.Occlusion.Count > 0) w.Write("<li><a href=\"#occlusion\">Occlusion sensitivity</a></li>\n");
        if (report.Charts.Count > 0) w.Write("<li><a href=\"#invariance\">Invariance</a></li>\n");
        if (report.Evolution is not null) w.Write("<li><a href=\"#evolution\">Feature evolution</a></li>\n");
        w.Write("</ul></nav>\n");
    }

    private static void WriteMetadata(RunMetadata? m, TextWriter w)
    {
        w.Write("<h2 id=\"run\">Run</h2>\n<table class=\"meta\">\n");
        if (m is not null)
        {
            Row("Date", m.Date.ToString("yyyy-MM-dd HH:mm:ss zzz", Inv));
            Row("Images", m.ImageCount.ToString("N0", Inv));
            Row("Time taken", FormatElapsed(m.Elapsed));
            Row("Model", m.ModelName);
            if (!string.IsNullOrEmpty(m.ModelSource)) Row("Model source", m.ModelSource);
            foreach (var (key, value) in m.Extra) Row(key, value);
        }
        w.Write("</table>\n");

        void Row(string name, string? value) => w.Write($"<tr><th>{E(name)}</th><td>{E(value)}</td></tr>\n");
    }

    /// <summary>Elapsed time as h:mm:ss.f (days folded into hours).</summary>
    public static string FormatElapsed(TimeSpan t)
        => $"{((long)t.TotalHours).ToString(Inv)}:{t.Minutes.ToString("00", Inv)}:{t.Seconds.ToString("00", Inv)}.{(t.Milliseconds / 100).ToString(Inv)}";

    private static void WriteTable(ReportTable table, TextWriter w)
    {
        w.Write("<table class=\"geometry\"><thead><tr>");
        foreach (string h in table.Headers) w.Write($"<th>{E(h)}</th>");
        w.Write("</tr></thead><tbody>\n");
        foreach (var row in table.Rows)
        {
            w.Write("<tr>");
            foreach (string? cell in row)
                w.Write(IsNumber(cell) ? $"<td class=\"num\">{E(cell)}</td>" : $"<td>{E(cell)}</td>");
            w.Write("</tr>\n");
        }
        w.Write("</tbody></table>\n");
    }

    private static bool IsNumber(string? s) => double.TryParse(s, NumberStyles.Float, Inv, out _);

    private static void WriteLayer(ReportLayer layer, int index, TextWriter w, ReportOptions options)
    {
        int k = Math.Max(1, layer.Units.Count == 0 ? 1 : layer.Units.Max(u => u?.Items?.Count ?? 0));
        var grid = ThumbnailOptions(options, k);
        // Only the first layer starts open, so a big report paints quickly.
        w.Write($"<details class=\"layer\" id=\"layer-{index.ToString(Inv)}\"{(index == 0 ? " open" : "")}>");
        w.Write($"<summary>{E(layer.Name)} — {layer.Units.Count.ToString(Inv)} units</summary>\n");
        if (!string.IsNullOrEmpty(layer.Note)) w.Write($"<p class=\"note\">{E(layer.Note)}</p>\n");
        int pages = (layer.Units.Count + options.UnitsPerPage - 1) / options.UnitsPerPage;
        for (int p = 0; p < pages; p++)
        {
            int first = p * options.UnitsPerPage, last = Math.Min(layer.Units.Count, first + options.UnitsPerPage) - 1;
            bool paged = pages > 1;
            if (paged)
                w.Write($"<details class=\"page\"{(p == 0 ? " open" : "")}><summary>Units {(first + 1).ToString(Inv)}–{(last + 1).ToString(Inv)} of {layer.Units.Count.ToString(Inv)}</summary>\n");
            w.Write("<div class=\"units\">\n");
            for (int u = first; u <= last; u++)
            {
                var unit = layer.Units[u] ?? throw new ArgumentException($"Layer '{layer.Name}' has a null unit at {u}.");
                w.Write($"<figure class=\"unit\"><figcaption>{E(unit.Layer)} #{unit.Unit.ToString(Inv)}</figcaption>");
                WriteUnitCells(unit, grid, w, options);
                w.Write("</figure>\n");
            }
            w.Write("</div>\n");
            if (paged) w.Write("</details>\n");
        }
        w.Write("</details>\n");
    }

    private static PatchGridOptions ThumbnailOptions(ReportOptions options, int k) => new()
    {
        Columns = 1,
        CellSize = options.ThumbnailCellSize,
        Layout = options.Layout,
        Normalization = options.Normalization,
        Labels = false,
        CellsPerUnit = k,
    };

    /// <summary>One picture per unit (both panels), with a transparent hover box over each cell:
    /// one image instead of 2k keeps the file and the DOM small.</summary>
    private static void WriteUnitCells(UnitEntry unit, PatchGridOptions grid, TextWriter w, ReportOptions options)
    {
        var units = new[] { unit };
        var layout = PatchGridRenderer.LayoutFor(units, grid);
        using var picture = PatchGridRenderer.Render(units, grid);
        w.Write($"<div class=\"cells\" style=\"width:{layout.Width.ToString(Inv)}px;contain-intrinsic-size:{layout.Width.ToString(Inv)}px {layout.Height.ToString(Inv)}px\">");
        WriteImage(picture, $"{unit.Layer} #{unit.Unit.ToString(Inv)}", w, options.JpegThumbnails);
        var items = unit.Items ?? Array.Empty<UnitItem>();
        for (int rank = 0; rank < Math.Min(items.Count, layout.CellsPerUnit); rank++)
        {
            var item = items[rank];
            if (item is null) continue;
            foreach (var panel in new[] { PatchPanels.Projections, PatchPanels.Patches })
            {
                if (!layout.Shows(panel)) continue;
                var c = layout.Cell(0, rank, panel);
                string title = Describe(item, rank, panel);
                w.Write($"<span style=\"left:{c.X.ToString(Inv)}px;top:{c.Y.ToString(Inv)}px;width:{c.Width.ToString(Inv)}px;height:{c.Height.ToString(Inv)}px\" title=\"{E(title)}\"></span>");
            }
        }
        w.Write("</div>");
    }

    /// <summary>The hover text of a cell: rank, panel, image path, value, position, caption.</summary>
    public static string Describe(UnitItem item, int rank, PatchPanels panel)
    {
        var sb = new StringBuilder();
        sb.Append('#').Append((rank + 1).ToString(Inv)).Append(panel == PatchPanels.Projections ? " projection" : " patch");
        if (!string.IsNullOrEmpty(item.ImagePath)) sb.Append("\nimage: ").Append(item.ImagePath);
        if (item.Value is double v) sb.Append("\nvalue: ").Append(v.ToString("G6", Inv));
        if (!string.IsNullOrEmpty(item.Position)) sb.Append("\nposition: ").Append(item.Position);
        if (!string.IsNullOrEmpty(item.Caption)) sb.Append('\n').Append(item.Caption);
        return sb.ToString();
    }

    private static void WriteOcclusion(IReadOnlyList<OcclusionEntry> entries, TextWriter w, ReportOptions options)
    {
        w.Write("<h2 id=\"occlusion\">Occlusion sensitivity</h2>\n<div class=\"shots\">\n");
        foreach (var entry in entries)
        {
            using var image = Shrink(entry.Image, options.OcclusionSize);
            using var heat = HeatMapRenderer.Render(entry.Map, image.Width, image.Height, Colormap.Inferno);
            using var overlay = HeatMapRenderer.Overlay(image, entry.Map, options.OcclusionAlpha, Colormap.Inferno);
            w.Write("<figure class=\"shot\">");
            WriteImage(image, $"{entry.Title} (image)", w, jpeg: false);
            WriteImage(heat, $"{entry.Title} (sensitivity)", w, jpeg: false);
            WriteImage(overlay, $"{entry.Title} (overlay)", w, jpeg: false);
            w.Write($"<figcaption>{E(entry.Title)}{(string.IsNullOrEmpty(entry.Caption) ? "" : " — " + E(entry.Caption))}</figcaption></figure>\n");
        }
        w.Write("</div>\n");
    }

    private static Image<Rgb24> Shrink(Image<Rgb24> image, int longest)
    {
        int side = Math.Max(image.Width, image.Height);
        if (longest < 1 || side <= longest) return image.Clone();
        double s = (double)longest / side;
        return image.Clone(c => c.Resize(Math.Max(1, (int)Math.Round(image.Width * s)), Math.Max(1, (int)Math.Round(image.Height * s)), KnownResamplers.Bicubic));
    }

    private static void WriteCharts(IReadOnlyList<InvarianceChart> charts, TextWriter w, ReportOptions options)
    {
        w.Write("<h2 id=\"invariance\">Invariance</h2>\n<div class=\"shots\">\n");
        foreach (var chart in charts)
        {
            w.Write("<figure class=\"shot\">");
            try
            {
                byte[] png = ChartRenderer.RenderPng(chart, options.ChartWidth, options.ChartHeight);
                w.Write($"<img loading=\"lazy\" width=\"{options.ChartWidth.ToString(Inv)}\" height=\"{options.ChartHeight.ToString(Inv)}\" alt=\"{E(chart.Title)}\" src=\"{HtmlText.DataUri("image/png", png)}\">");
            }
            catch (Exception e) when (e is DllNotFoundException or TypeInitializationException or EntryPointNotFoundException)
            {
                // No native SkiaSharp: say so rather than lose the whole report.
                w.Write($"<p class=\"note\">The chart could not be drawn on this machine: {E(e.Message)}</p>");
            }
            w.Write($"<figcaption>{E(chart.Title)}</figcaption></figure>\n");
        }
        w.Write("</div>\n");
    }

    private static void WriteEvolution(FeatureEvolution evolution, TextWriter w, ReportOptions options)
    {
        w.Write($"<h2 id=\"evolution\">{E(string.IsNullOrEmpty(evolution.Title) ? "Feature evolution" : evolution.Title)}</h2>\n");
        int k = Math.Max(1, evolution.Rows.SelectMany(r => r.Cells).Where(c => c is not null).Select(c => c!.Items?.Count ?? 0).DefaultIfEmpty(1).Max());
        var grid = ThumbnailOptions(options, k);
        w.Write("<table class=\"evolution\"><thead><tr><th>Layer</th><th>Unit</th>");
        foreach (string model in evolution.Models) w.Write($"<th>{E(model)}</th>");
        w.Write("</tr></thead><tbody>\n");
        foreach (var row in evolution.Rows)
        {
            w.Write($"<tr><td>{E(row.Layer)}</td><td class=\"num\">{row.Unit.ToString(Inv)}</td>");
            for (int m = 0; m < evolution.Models.Count; m++)
            {
                var cell = m < row.Cells.Count ? row.Cells[m] : null;
                if (cell is null) { w.Write("<td class=\"missing\">—</td>"); continue; }
                w.Write("<td>");
                WriteUnitCells(cell, grid, w, options);
                w.Write("</td>");
            }
            w.Write("</tr>\n");
        }
        w.Write("</tbody></table>\n");
    }

    private static void WriteImage(Image<Rgb24> image, string alt, TextWriter w, bool jpeg)
    {
        byte[] bytes = SheetWriter.Encode(image, jpeg);
        w.Write($"<img loading=\"lazy\" decoding=\"async\" width=\"{image.Width.ToString(Inv)}\" height=\"{image.Height.ToString(Inv)}\" alt=\"{E(alt)}\" src=\"");
        w.Write(HtmlText.DataUri(jpeg ? "image/jpeg" : "image/png", bytes));
        w.Write("\">");
    }

    private static string E(string? s) => HtmlText.Encode(s);
}

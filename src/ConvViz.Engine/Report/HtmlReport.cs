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

    /// <summary>Writes the report to <paramref name="path"/> atomically (temp file + rename). With
    /// <see cref="ReportOptions.ExternalImages"/> the pictures go to a folder "name_files" beside it.</summary>
    public static void Save(ConvVizReport report, string path, ReportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(report);
        options ??= new ReportOptions();
        var full = Path.GetFullPath(path);
        string folderName = Path.GetFileNameWithoutExtension(full) + "_files";
        var sink = options.ExternalImages
            ? ImageSink.Files(Path.Combine(Path.GetDirectoryName(full) ?? ".", folderName), folderName)
            : ImageSink.Inline();
        AtomicFile.Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
            Write(report, writer, options, sink);
        });
    }

    /// <summary>The report as a string (small reports, tests); pictures inline.</summary>
    public static string ToHtml(ConvVizReport report, ReportOptions? options = null)
    {
        var sb = new StringWriter(Inv);
        Write(report, sb, (options ?? new ReportOptions()) with { ExternalImages = false }, ImageSink.Inline());
        return sb.ToString();
    }

    public static void Write(ConvVizReport report, TextWriter w, ReportOptions? options = null)
        => Write(report, w, (options ?? new ReportOptions()) with { ExternalImages = false }, ImageSink.Inline());

    private static void Write(ConvVizReport report, TextWriter w, ReportOptions options, ImageSink sink)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(w);
        if (options.UnitsPerPage < 1) throw new ArgumentOutOfRangeException(nameof(options), options.UnitsPerPage, "UnitsPerPage must be at least 1.");
        var ctx = new Context(options, sink, report.InputSize);

        w.Write("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n");
        w.Write("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        w.Write("<meta name=\"generator\" content=\"ConvViz\">\n");
        w.Write($"<title>{E(report.Title)}</title>\n<style>{ReportAssets.Css}</style>\n</head>\n<body>\n");
        w.Write($"<h1>{E(report.Title)}</h1>\n");
        if (report.Layers.Count > 0 && options.Details)
            w.Write("<form id=\"jump\" autocomplete=\"off\"><label>Go to unit <input id=\"jump-to\" name=\"to\" placeholder=\"layer3 #17\" size=\"18\"></label> <button>Open</button> <span id=\"jump-msg\" class=\"note\"></span> <span class=\"note\">Keys in a unit view: ← → units, ↑ ↓ layers, Esc back to the grid.</span></form>\n");
        WriteNavigation(report, w);
        WriteWarnings(report, w);
        WriteMetadata(report.Metadata, w);
        if (report.Geometry is { } geometry) WriteGeometry(geometry, report.Layers, w);
        if (report.Filters is { } filters) WriteFilters(filters, w, ctx);
        if (report.Layers.Count > 0)
        {
            w.Write("<h2 id=\"layers\">Top units per layer</h2>\n");
            w.Write("<p class=\"note\">Each unit shows its strongest activations: the projections (one panel per method, labelled) on the left and the image patches on the right. Click a unit for its detail view: each of the top-k at the model's input size, the projection(s), the patch and the whole photo with the box drawn.</p>\n");
            for (int i = 0; i < report.Layers.Count; i++) WriteLayer(report.Layers[i], i, w, ctx);
            if (options.Details) WriteDetails(report.Layers, w, ctx);
        }
        if (report.Correspondence is { } correspondence)
        {
            w.Write("<h2 id=\"correspondence\">Correspondence</h2>\n<p class=\"note\">How consistently hiding the same object part changes the features across images (lower is more consistent), against hiding random squares (the paper's Table 1).</p>\n");
            WriteTable(correspondence, w);
        }
        if (report.Occlusion.Count > 0) WriteOcclusion(report.Occlusion, w, ctx);
        if (report.Charts.Count > 0) WriteCharts(report.Charts, w, options);
        if (report.Evolution is { } evolution) WriteEvolution(evolution, w, ctx);
        w.Write($"<script>{ReportAssets.Script}</script>\n</body></html>\n");
        w.Flush();
    }

    /// <summary>What one writing of a report shares: options, where pictures go, photos already embedded.</summary>
    private sealed class Context(ReportOptions options, ImageSink sink, int inputSize)
    {
        public ReportOptions Options { get; } = options;
        public ImageSink Sink { get; } = sink;
        public int InputSize { get; } = Math.Max(16, inputSize);
        public Dictionary<string, (string Class, int Width, int Height, int OriginalWidth, int OriginalHeight)?> Photos { get; } = new(StringComparer.Ordinal);
        public StringBuilder PhotoCss { get; } = new();
    }

    private static void WriteNavigation(ConvVizReport report, TextWriter w)
    {
        w.Write("<nav><ul>\n<li><a href=\"#run\">Run</a></li>\n");
        if (report.Geometry is not null) w.Write("<li><a href=\"#geometry\">Layer geometry</a></li>\n");
        if (report.Filters is not null) w.Write("<li><a href=\"#filters\">Filters</a></li>\n");
        for (int i = 0; i < report.Layers.Count; i++)
            w.Write($"<li><a href=\"#layer-{i}\">{E(report.Layers[i].Name)}</a> ({report.Layers[i].Units.Count.ToString(Inv)} units)</li>\n");
        if (report.Correspondence is not null) w.Write("<li><a href=\"#correspondence\">Correspondence</a></li>\n");
        if (report.Occlusion.Count > 0) w.Write("<li><a href=\"#occlusion\">Occlusion sensitivity</a></li>\n");
        if (report.Charts.Count > 0) w.Write("<li><a href=\"#invariance\">Invariance</a></li>\n");
        if (report.Evolution is not null) w.Write("<li><a href=\"#evolution\">Feature evolution</a></li>\n");
        w.Write("</ul></nav>\n");
    }

    /// <summary>The warning shown when a dataset is too small for the k asked, or null.</summary>
    public static string? SmallDatasetWarning(RunMetadata m)
    {
        if (m.TopK is not int k || k < 1) return null;
        int need = RunMetadata.ImagesPerK * k;
        if (m.ImageCount >= need) return null;
        return $"Only {m.ImageCount.ToString("N0", Inv)} images were scanned for a top-{k.ToString(Inv)}: with fewer than {need.ToString("N0", Inv)} ({RunMetadata.ImagesPerK.ToString(Inv)} × k) images, many units share the same few images and their top-{k.ToString(Inv)} says little about what they respond to. Scan a larger dataset.";
    }

    private static void WriteWarnings(ConvVizReport report, TextWriter w)
    {
        if (SmallDatasetWarning(report.Metadata) is { } warning) w.Write($"<p class=\"warning\" id=\"small-dataset\">{E(warning)}</p>\n");
    }

    private static void WriteMetadata(RunMetadata? m, TextWriter w)
    {
        w.Write("<h2 id=\"run\">Run</h2>\n<table class=\"meta\">\n");
        if (m is not null)
        {
            Row("Scanned", m.Date.ToString("yyyy-MM-dd HH:mm:ss zzz", Inv));
            Row("Images scanned", m.ImageCount.ToString("N0", Inv));
            Row("Scan time", m.ElapsedKnown ? FormatElapsed(m.Elapsed) : "not recorded");
            if (m.TopK is int k) Row("Top-k", k.ToString(Inv));
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

    private static void WriteTable(ReportTable table, TextWriter w, string cssClass = "geometry")
    {
        w.Write($"<table class=\"{cssClass}\"><thead><tr>");
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

    // The rows of the layers shown (by first cell), then the whole table collapsed.
    private static void WriteGeometry(ReportTable geometry, IReadOnlyList<ReportLayer> layers, TextWriter w)
    {
        w.Write("<h2 id=\"geometry\">Layer geometry</h2>\n");
        var shown = new HashSet<string>(layers.Select(l => l.Name), StringComparer.Ordinal);
        var rows = geometry.Rows.Where(r => r.Count > 0 && shown.Contains(r[0])).ToList();
        if (rows.Count > 0 && rows.Count < geometry.Rows.Count)
        {
            WriteTable(new ReportTable(geometry.Headers, rows), w);
            w.Write($"<details class=\"all-layers\"><summary>All {geometry.Rows.Count.ToString(Inv)} layers</summary>\n");
            WriteTable(geometry, w);
            w.Write("</details>\n");
        }
        else WriteTable(geometry, w);
    }

    private static void WriteFilters(ReportFilters filters, TextWriter w, Context ctx)
    {
        w.Write($"<h2 id=\"filters\">{E(string.IsNullOrEmpty(filters.Title) ? "Filters" : filters.Title)}</h2>\n<div class=\"shots\"><figure class=\"shot\">");
        using var image = FilterGridRenderer.Render(filters.Weights, filters.Units, 3, filters.Height, filters.Width, new FilterGridOptions { CellSize = 42 });
        WriteImage(image, filters.Title, w, ctx, jpeg: false, lazy: false);
        w.Write($"<figcaption>{filters.Units.ToString(Inv)} filters of {filters.Height.ToString(Inv)}×{filters.Width.ToString(Inv)} pixels, each normalised on its own</figcaption></figure></div>\n");
    }

    private static bool IsNumber(string? s) => double.TryParse(s, NumberStyles.Float, Inv, out _);

    private static void WriteLayer(ReportLayer layer, int index, TextWriter w, Context ctx)
    {
        var options = ctx.Options;
        int k = Math.Max(1, layer.Units.Count == 0 ? 1 : layer.Units.Max(u => u?.Items?.Count ?? 0));
        var grid = ThumbnailOptions(options, k, CellSizeFor(layer, options));
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
                string detail = options.Details ? DetailId(index, u) : "";
                w.Write($"<figure class=\"unit\" id=\"g{index.ToString(Inv)}-{u.ToString(Inv)}\"><figcaption>");
                w.Write(options.Details ? $"<a href=\"#{detail}\">{E(unit.Layer)} #{unit.Unit.ToString(Inv)}</a>" : $"{E(unit.Layer)} #{unit.Unit.ToString(Inv)}");
                w.Write("</figcaption>");
                WriteUnitCells(unit, grid, w, ctx, detail);
                w.Write("</figure>\n");
            }
            w.Write("</div>\n");
            if (paged) w.Write("</details>\n");
        }
        w.Write("</details>\n");
    }

    /// <summary>The id of unit <paramref name="unit"/> (position in the layer) of layer <paramref name="layer"/>'s detail view.</summary>
    public static string DetailId(int layer, int unit) => $"u{layer.ToString(Inv)}-{unit.ToString(Inv)}";

    /// <summary>Thumbnail cell side: the option, else 48 px for layers whose crops are at most 48 px, 96 px otherwise.</summary>
    public static int CellSizeFor(ReportLayer layer, ReportOptions options)
    {
        if (options.ThumbnailCellSize is int fixedSize) return fixedSize;
        var sides = layer.Units.Where(u => u is not null).SelectMany(u => u.Items ?? Array.Empty<UnitItem>())
            .Where(i => i is not null)
            .Select(i => i.Projection is { } p ? Math.Max(p.Height, p.Width) : i.Patch is { } img ? Math.Max(img.Width, img.Height) : 0)
            .Where(s => s > 0).OrderBy(s => s).ToList();
        int median = sides.Count == 0 ? 0 : sides[sides.Count / 2];
        return median <= 48 ? 48 : 96;
    }

    private static PatchGridOptions ThumbnailOptions(ReportOptions options, int k, int cellSize) => new()
    {
        Columns = 1,
        CellSize = cellSize,
        Layout = options.Layout,
        Normalization = options.Normalization,
        Labels = true,
        CellsPerUnit = k,
    };

    /// <summary>One picture per unit (every panel), with a link box over each cell to the unit's detail
    /// view: one image instead of many keeps the file and the DOM small. Only the patch cells carry a
    /// hover text, so it is not repeated per panel.</summary>
    private static void WriteUnitCells(UnitEntry unit, PatchGridOptions grid, TextWriter w, Context ctx, string detail)
    {
        var units = new[] { unit };
        var layout = PatchGridRenderer.LayoutFor(units, grid);
        using var picture = PatchGridRenderer.Render(units, grid);
        w.Write($"<div class=\"cells\" style=\"width:{layout.Width.ToString(Inv)}px;contain-intrinsic-size:{layout.Width.ToString(Inv)}px {layout.Height.ToString(Inv)}px\">");
        WriteImage(picture, $"{unit.Layer} #{unit.Unit.ToString(Inv)}", w, ctx, ctx.Options.JpegThumbnails);
        var items = unit.Items ?? Array.Empty<UnitItem>();
        for (int rank = 0; rank < Math.Min(items.Count, layout.CellsPerUnit); rank++)
        {
            var item = items[rank];
            if (item is null) continue;
            string href = detail.Length > 0 ? $" href=\"#{detail}-r{(rank + 1).ToString(Inv)}\"" : "";
            string tag = detail.Length > 0 ? "a" : "span";
            if (layout.Shows(PatchPanels.Projections))
                for (int i = 0; i < layout.ProjectionPanels; i++)
                {
                    var c = layout.Cell(0, rank, PatchPanels.Projections, i);
                    w.Write($"<{tag}{href} style=\"{Box(c)}\"></{tag}>");
                }
            if (layout.Shows(PatchPanels.Patches))
            {
                var c = layout.Cell(0, rank, PatchPanels.Patches);
                w.Write($"<{tag}{href} style=\"{Box(c)}\" title=\"{E(Describe(item, UnitItem.RankOf(items, rank), PatchPanels.Patches))}\"></{tag}>");
            }
        }
        w.Write("</div>");

        static string Box(GridRect c) => $"left:{c.X.ToString(Inv)}px;top:{c.Y.ToString(Inv)}px;width:{c.Width.ToString(Inv)}px;height:{c.Height.ToString(Inv)}px";
    }

    // Every unit's detail view, hidden until its id is the URL's target (CSS :target), outside the
    // collapsible layers so a link opens it whatever is collapsed.
    private static void WriteDetails(IReadOnlyList<ReportLayer> layers, TextWriter w, Context ctx)
    {
        w.Write("<div id=\"details\">\n");
        for (int li = 0; li < layers.Count; li++)
        {
            var layer = layers[li];
            for (int u = 0; u < layer.Units.Count; u++)
            {
                var unit = layer.Units[u];
                string id = DetailId(li, u);
                w.Write($"<section class=\"detail\" id=\"{id}\" data-layer=\"{E(unit.Layer)}\" data-unit=\"{unit.Unit.ToString(Inv)}\">\n");
                w.Write("<nav class=\"dnav\">");
                w.Write(u > 0 ? $"<a class=\"prev\" href=\"#{DetailId(li, u - 1)}\">‹ {E(layer.Units[u - 1].Layer)} #{layer.Units[u - 1].Unit.ToString(Inv)}</a>" : "<span>‹</span>");
                w.Write($" <a class=\"up\" href=\"#g{li.ToString(Inv)}-{u.ToString(Inv)}\">{E(layer.Name)} grid</a> ");
                w.Write(u + 1 < layer.Units.Count ? $"<a class=\"next\" href=\"#{DetailId(li, u + 1)}\">{E(layer.Units[u + 1].Layer)} #{layer.Units[u + 1].Unit.ToString(Inv)} ›</a>" : "<span>›</span>");
                if (li > 0 && layers[li - 1].Units.Count > 0) w.Write($" · <a class=\"prevlayer\" href=\"#{DetailId(li - 1, 0)}\">↑ {E(layers[li - 1].Name)}</a>");
                if (li + 1 < layers.Count && layers[li + 1].Units.Count > 0) w.Write($" · <a class=\"nextlayer\" href=\"#{DetailId(li + 1, 0)}\">↓ {E(layers[li + 1].Name)}</a>");
                w.Write("</nav>\n");
                string methods = unit.Methods.Count > 0 ? string.Join(", ", unit.Methods) : "projection";
                w.Write($"<h3>{E(unit.Layer)} #{unit.Unit.ToString(Inv)} <small>{E(methods)}</small></h3>\n");
                var items = unit.Items ?? Array.Empty<UnitItem>();
                for (int r = 0; r < items.Count; r++)
                    if (items[r] is { } item) WriteDetailItem(unit, item, UnitItem.RankOf(items, r), $"{id}-r{(r + 1).ToString(Inv)}", w, ctx);
                w.Write("</section>\n");
            }
        }
        w.Write("</div>\n");
        if (ctx.PhotoCss.Length > 0) w.Write($"<style>{ctx.PhotoCss}</style>\n");
    }

    // rank: the 1-based dataset rank, 0 for a feature visualisation.
    private static void WriteDetailItem(UnitEntry unit, UnitItem item, int rank, string id, TextWriter w, Context ctx)
    {
        int size = ctx.InputSize;
        string label = rank > 0 ? $"rank {rank}" : "feature visualisation";
        w.Write($"<div class=\"item\" id=\"{id}\"><p class=\"rank\"><b>{(rank > 0 ? "#" + rank.ToString(Inv) : "Feature visualisation")}</b>");
        if (rank == 0 && !string.IsNullOrEmpty(item.Caption)) w.Write($" · {E(item.Caption)}");
        if (item.Value is double v && rank > 0) w.Write($" · activation <b>{E(v.ToString("G6", Inv))}</b>");
        if (!string.IsNullOrEmpty(item.Position)) w.Write($" · position {E(item.Position)}");
        if (!string.IsNullOrEmpty(item.ImagePath)) w.Write($" · <span title=\"{E(item.ImagePath)}\">{E(Path.GetFileName(item.ImagePath))}</span>");
        w.Write("</p><div class=\"row\">");
        for (int i = 0; i < item.AllProjections.Count; i++)
        {
            if (item.AllProjections[i] is not FloatPlanes planes) continue;
            string method = i < unit.Methods.Count ? unit.Methods[i] : "projection";
            using var raw = DisplayNormalization.ToImage(planes, ctx.Options.Normalization);
            using var big = Fit(raw, size);
            w.Write("<figure>");
            WriteImage(big, $"{unit.Layer} #{unit.Unit} {label} {method}", w, ctx, ctx.Options.JpegThumbnails);
            w.Write($"<figcaption>{E(method)} ({planes.Width.ToString(Inv)}×{planes.Height.ToString(Inv)} input px)</figcaption></figure>");
        }
        if (item.Patch is { } patch)
        {
            using var big = Fit(patch, size);
            w.Write("<figure>");
            WriteImage(big, $"{unit.Layer} #{unit.Unit} {label}{(rank > 0 ? " patch" : "")}", w, ctx, ctx.Options.JpegThumbnails);
            w.Write(rank > 0 ? $"<figcaption>patch {E(item.PatchBox?.ToString() ?? "")} ({patch.Width.ToString(Inv)}×{patch.Height.ToString(Inv)} px)</figcaption></figure>"
                : $"<figcaption>optimised image ({patch.Width.ToString(Inv)}×{patch.Height.ToString(Inv)} px)</figcaption></figure>");
        }
        if (!string.IsNullOrEmpty(item.ImagePath) && Photo(item.ImagePath, ctx) is { } photo)
        {
            w.Write($"<figure><div class=\"photo {photo.Class}\" style=\"width:{photo.Width.ToString(Inv)}px;height:{photo.Height.ToString(Inv)}px\" role=\"img\" aria-label=\"{E(Path.GetFileName(item.ImagePath))}\">");
            if (item.FieldBox is { } field) w.Write($"<span class=\"field\" style=\"{Percent(field, photo.OriginalWidth, photo.OriginalHeight)}\"></span>");
            if (item.PatchBox is { } box) w.Write($"<span class=\"box\" style=\"{Percent(box, photo.OriginalWidth, photo.OriginalHeight)}\"></span>");
            w.Write($"</div><figcaption>photo {photo.OriginalWidth.ToString(Inv)}×{photo.OriginalHeight.ToString(Inv)}: patch (red){(item.FieldBox is null ? "" : ", receptive field (dashed)")}</figcaption></figure>");
        }
        w.Write("</div></div>\n");
    }

    private static string Percent(Graph.PixelBox b, int width, int height)
        => string.Create(Inv, $"left:{100.0 * b.Left / width:0.###}%;top:{100.0 * b.Top / height:0.###}%;width:{100.0 * b.Width / width:0.###}%;height:{100.0 * b.Height / height:0.###}%");

    // The photo at the input size, once per report (a CSS class shared by every detail view showing it).
    private static (string Class, int Width, int Height, int OriginalWidth, int OriginalHeight)? Photo(string path, Context ctx)
    {
        if (ctx.Photos.TryGetValue(path, out var known)) return known;
        (string, int, int, int, int)? result = null;
        try
        {
            using var original = Image.ImageDecoder.Decode(path);
            using var small = Fit(original, ctx.InputSize);
            string cls = $"ph{ctx.Photos.Count.ToString(Inv)}";
            string url = ctx.Sink.Add(SheetWriter.Encode(small, true, ctx.Options.JpegQuality), jpeg: true);
            ctx.PhotoCss.Append('.').Append(cls).Append("{background-image:url(").Append(url).Append(")}\n");
            result = (cls, small.Width, small.Height, original.Width, original.Height);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or Image.ImageReadException or SixLabors.ImageSharp.ImageFormatException or NotSupportedException)
        {
            result = null;   // the photo moved or is unreadable: the view shows projections and patch only
        }
        ctx.Photos[path] = result;
        return result;
    }

    // Scaled (up or down) so the longer side is `size`, aspect kept.
    private static Image<Rgb24> Fit(Image<Rgb24> image, int size)
    {
        double s = (double)size / Math.Max(image.Width, image.Height);
        int w = Math.Max(1, (int)Math.Round(image.Width * s)), h = Math.Max(1, (int)Math.Round(image.Height * s));
        if (w == image.Width && h == image.Height) return image.Clone();
        return image.Clone(c => c.Resize(w, h, s > 1 ? KnownResamplers.NearestNeighbor : KnownResamplers.Bicubic));
    }

    /// <summary>The hover text of a cell: 1-based dataset rank (0: a feature visualisation), panel, image path, value, position, caption.</summary>
    public static string Describe(UnitItem item, int rank, PatchPanels panel)
    {
        var sb = new StringBuilder();
        if (rank > 0) sb.Append('#').Append(rank.ToString(Inv)).Append(panel == PatchPanels.Projections ? " projection" : " patch");
        else sb.Append("feature visualisation (optimised image)");
        if (!string.IsNullOrEmpty(item.ImagePath)) sb.Append("\nimage: ").Append(item.ImagePath);
        if (item.Value is double v) sb.Append("\nvalue: ").Append(v.ToString("G6", Inv));
        if (!string.IsNullOrEmpty(item.Position)) sb.Append("\nposition: ").Append(item.Position);
        if (!string.IsNullOrEmpty(item.Caption)) sb.Append('\n').Append(item.Caption);
        return sb.ToString();
    }

    private static void WriteOcclusion(IReadOnlyList<OcclusionEntry> entries, TextWriter w, Context ctx)
    {
        var options = ctx.Options;
        w.Write("<h2 id=\"occlusion\">Occlusion sensitivity</h2>\n<div class=\"shots\">\n");
        foreach (var entry in entries)
        {
            using var image = Shrink(entry.Image, options.OcclusionSize);
            using var heat = HeatMapRenderer.Render(entry.Map, image.Width, image.Height, Colormap.Inferno);
            using var overlay = HeatMapRenderer.Overlay(image, entry.Map, options.OcclusionAlpha, Colormap.Inferno);
            w.Write("<figure class=\"shot\">");
            WriteImage(image, $"{entry.Title} (image)", w, ctx, jpeg: options.JpegThumbnails);
            WriteImage(heat, $"{entry.Title} (sensitivity)", w, ctx, jpeg: false);
            WriteImage(overlay, $"{entry.Title} (overlay)", w, ctx, jpeg: options.JpegThumbnails);
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

    private static void WriteEvolution(FeatureEvolution evolution, TextWriter w, Context ctx)
    {
        var options = ctx.Options;
        w.Write($"<h2 id=\"evolution\">{E(string.IsNullOrEmpty(evolution.Title) ? "Feature evolution" : evolution.Title)}</h2>\n");
        int k = Math.Max(1, evolution.Rows.SelectMany(r => r.Cells).Where(c => c is not null).Select(c => c!.Items?.Count ?? 0).DefaultIfEmpty(1).Max());
        var grid = ThumbnailOptions(options, k, options.ThumbnailCellSize ?? 48);
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
                WriteUnitCells(cell, grid, w, ctx, "");
                w.Write("</td>");
            }
            w.Write("</tr>\n");
        }
        w.Write("</tbody></table>\n");
    }

    private static void WriteImage(Image<Rgb24> image, string alt, TextWriter w, Context ctx, bool jpeg, bool lazy = true)
    {
        byte[] bytes = SheetWriter.Encode(image, jpeg, ctx.Options.JpegQuality);
        w.Write($"<img{(lazy ? " loading=\"lazy\"" : "")} decoding=\"async\" width=\"{image.Width.ToString(Inv)}\" height=\"{image.Height.ToString(Inv)}\" alt=\"{E(alt)}\" src=\"");
        w.Write(ctx.Sink.Add(bytes, jpeg));
        w.Write("\">");
    }

    private static string E(string? s) => HtmlText.Encode(s);
}

package org.visionlake.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.visionlake.lake.Json;

/**
 * Assembles one report folder: a self-contained {@code index.html} (SVG charts inline, PNG images as data URIs, no
 * scripts or remote resources), every figure as its own file under {@code figures/}, every table as CSV and JSON
 * under {@code tables/}, and {@code summary.md} with the same text and tables for pasting into a written report.
 *
 * <p>All text handed in is treated as data and escaped; only this class writes markup.
 */
public final class ReportBuilder {
    private static final Pattern FILE_NAME = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,80}");

    private final String title;
    private final StringBuilder html = new StringBuilder(64 * 1024);
    private final StringBuilder markdown = new StringBuilder(16 * 1024);
    private final StringBuilder toc = new StringBuilder();
    private final Map<String, byte[]> files = new LinkedHashMap<>();
    private final List<String> figureFiles = new ArrayList<>();
    private final Map<String, List<Map<String, Object>>> tables = new LinkedHashMap<>();

    public ReportBuilder(String title) {
        this.title = title;
        markdown.append("# ").append(title).append("\n\n");
    }

    public ReportBuilder section(String anchor, String heading) {
        String id = fileName(anchor);
        toc.append("<li><a href=\"#")
                .append(id)
                .append("\">")
                .append(Html.escape(heading))
                .append("</a></li>\n");
        html.append("<h2 id=\"")
                .append(id)
                .append("\">")
                .append(Html.escape(heading))
                .append("</h2>\n");
        markdown.append("## ").append(heading).append("\n\n");
        return this;
    }

    public ReportBuilder subsection(String heading) {
        html.append("<h3>").append(Html.escape(heading)).append("</h3>\n");
        markdown.append("### ").append(heading).append("\n\n");
        return this;
    }

    public ReportBuilder paragraph(String text) {
        html.append("<p>").append(Html.escape(text)).append("</p>\n");
        markdown.append(text).append("\n\n");
        return this;
    }

    /** A bulleted list of sentences, such as the analysis answers. */
    public ReportBuilder bullets(List<String> items) {
        html.append("<ul>\n");
        for (String item : items) {
            html.append("<li>").append(Html.escape(item)).append("</li>\n");
            markdown.append("- ").append(item).append('\n');
        }
        html.append("</ul>\n");
        markdown.append('\n');
        return this;
    }

    /** Pre-formatted text such as a model summary. */
    public ReportBuilder preformatted(String text) {
        html.append("<pre>").append(Html.escape(text)).append("</pre>\n");
        markdown.append("```\n").append(text).append("\n```\n\n");
        return this;
    }

    public ReportBuilder svgFigure(String name, String svg, String caption) {
        String file = "figures/" + fileName(name) + ".svg";
        files.put(file, svg.getBytes(StandardCharsets.UTF_8));
        figureFiles.add(file);
        html.append("<figure>").append(svg).append("<figcaption>").append(Html.escape(caption));
        html.append("</figcaption></figure>\n");
        markdown.append("![").append(caption).append("](").append(file).append(")\n\n");
        return this;
    }

    public ReportBuilder pngFigure(String name, byte[] png, String caption) {
        String file = "figures/" + fileName(name) + ".png";
        files.put(file, png);
        figureFiles.add(file);
        html.append("<figure><img alt=\"").append(Html.escape(caption)).append("\" src=\"data:image/png;base64,");
        html.append(Base64.getEncoder().encodeToString(png))
                .append("\"><figcaption>")
                .append(Html.escape(caption));
        html.append("</figcaption></figure>\n");
        markdown.append("![").append(caption).append("](").append(file).append(")\n\n");
        return this;
    }

    /** A table shown in the page and written as {@code tables/NAME.csv} and {@code tables/NAME.json}. */
    public ReportBuilder table(String name, List<String> columns, List<List<Object>> rows) {
        String base = fileName(name);
        html.append("<table><thead><tr>");
        columns.forEach(c -> html.append("<th>").append(Html.escape(c)).append("</th>"));
        html.append("</tr></thead><tbody>\n");
        markdown.append('|').append(String.join("|", columns)).append("|\n|");
        markdown.append("---|".repeat(columns.size())).append('\n');
        StringBuilder csv = new StringBuilder(
                String.join(",", columns.stream().map(ReportBuilder::csv).toList()));
        csv.append('\n');
        List<Map<String, Object>> json = new ArrayList<>();
        for (List<Object> row : rows) {
            html.append("<tr>");
            Map<String, Object> record = new LinkedHashMap<>();
            List<String> cells = new ArrayList<>();
            for (int i = 0; i < columns.size(); i++) {
                Object value = i < row.size() ? row.get(i) : null;
                String shown = display(value);
                html.append(value instanceof Number ? "<td class=\"n\">" : "<td>");
                html.append(Html.escape(shown)).append("</td>");
                cells.add(shown);
                record.put(columns.get(i), value);
            }
            html.append("</tr>\n");
            markdown.append('|')
                    .append(String.join(
                            "|", cells.stream().map(c -> c.replace("|", "\\|")).toList()));
            markdown.append("|\n");
            csv.append(String.join(",", cells.stream().map(ReportBuilder::csv).toList()))
                    .append('\n');
            json.add(record);
        }
        html.append("</tbody></table>\n");
        markdown.append('\n');
        files.put("tables/" + base + ".csv", csv.toString().getBytes(StandardCharsets.UTF_8));
        files.put("tables/" + base + ".json", Json.write(json).getBytes(StandardCharsets.UTF_8));
        tables.put(base, json);
        return this;
    }

    public List<String> figureFiles() {
        return List.copyOf(figureFiles);
    }

    /** Writes the folder: index.html, summary.md, figures/ and tables/. Returns the path of index.html. */
    public Path write(Path folder) {
        try {
            Files.createDirectories(folder.resolve("figures"));
            Files.createDirectories(folder.resolve("tables"));
            for (Map.Entry<String, byte[]> file : files.entrySet()) {
                Files.write(folder.resolve(file.getKey()), file.getValue());
            }
            Files.writeString(folder.resolve("summary.md"), markdown.toString());
            Path index = folder.resolve("index.html");
            Files.writeString(index, page());
            return index;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report to " + folder, e);
        }
    }

    private String page() {
        return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
                + "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data:;"
                + " style-src 'unsafe-inline'\">\n"
                + "<title>" + Html.escape(title) + "</title>\n<style>\n" + STYLE + "</style></head>\n<body>\n"
                + "<h1>" + Html.escape(title) + "</h1>\n<nav><ol>\n" + toc + "</ol></nav>\n"
                + html + "</body></html>\n";
    }

    private static String display(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            return Math.abs(d) >= 1e-3 || d == 0
                    ? String.format(java.util.Locale.ROOT, "%.4f", d)
                    : String.format(java.util.Locale.ROOT, "%.3e", d);
        }
        return value.toString();
    }

    private static String csv(String cell) {
        boolean quote = cell.contains(",") || cell.contains("\"") || cell.contains("\n");
        return quote ? '"' + cell.replace("\"", "\"\"") + '"' : cell;
    }

    private static String fileName(String name) {
        String cleaned = name.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9_.-]+", "-");
        if (!FILE_NAME.matcher(cleaned).matches()) {
            throw new IllegalArgumentException("report item name '" + name + "' does not make a file name");
        }
        return cleaned;
    }

    private static final String STYLE =
            """
            body { font-family: sans-serif; max-width: 1100px; margin: 2em auto; padding: 0 1em; color: #222; }
            h1 { border-bottom: 2px solid #1f77b4; }
            h2 { margin-top: 2em; border-bottom: 1px solid #ccc; }
            table { border-collapse: collapse; margin: 1em 0; font-size: 13px; }
            th, td { border: 1px solid #ccc; padding: 3px 8px; text-align: left; }
            td.n { text-align: right; font-variant-numeric: tabular-nums; }
            th { background: #f0f4f8; }
            figure { margin: 1em 0; }
            figcaption { font-size: 12px; color: #555; }
            pre { background: #f6f6f6; padding: 8px; overflow-x: auto; font-size: 11px; }
            """;
}

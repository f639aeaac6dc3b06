using System.Net;
using System.Text;
using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace Andes.NotebookRunner;

/// <summary>
/// Writes a run's cells and outputs as one HTML page: markdown cells rendered (CommonMark and pipe tables), code and
/// text outputs escaped, HTML outputs such as inline pictures as they are.
/// </summary>
public static class NotebookReport
{
    // Raw HTML in a markdown cell is shown as text, not passed through: the cells' markup is escaped like the code's.
    // (A notebook's own HTML reaches the page only through display(HTML(...)), as in Polyglot Notebooks.)
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UsePipeTables().DisableHtml().Build();

    /// <summary>Renders a markdown cell's text as HTML.</summary>
    /// <param name="markdown">The cell's text.</param>
    /// <returns>The HTML: headings, paragraphs, lists, code spans and blocks, links, tables; raw HTML escaped.</returns>
    public static string RenderMarkdown(string markdown)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        MarkdownDocument document = Markdown.Parse(markdown, Pipeline);
        // Only web, mail and relative links: a javascript: or data: URL would run or load in the report's page.
        foreach (LinkInline link in document.Descendants<LinkInline>())
        {
            if (link.Url is { } url && !IsSafeUrl(url))
            {
                link.Url = "#";
            }
        }

        foreach (AutolinkInline link in document.Descendants<AutolinkInline>())
        {
            if (!link.IsEmail && !IsSafeUrl(link.Url))
            {
                link.Url = "#";
            }
        }

        return document.ToHtml(Pipeline);
    }

    /// <summary>Renders a run.</summary>
    /// <param name="title">The page title (the notebook's name).</param>
    /// <param name="results">The cells' results, in order.</param>
    /// <returns>The HTML page.</returns>
    public static string Render(string title, IReadOnlyList<CellResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>").Append(WebUtility.HtmlEncode(title)).Append("</title>\n")
            .Append("<style>body{font-family:sans-serif;max-width:1000px;margin:2em auto}pre{background:#f6f8fa;padding:.6em;overflow-x:auto}")
            .Append(".md code{background:#f6f8fa;padding:0 .2em}.md table{border-collapse:collapse}.md td,.md th{border:1px solid #ccc;padding:.2em .5em}")
            .Append(".out{background:#fff;border-left:3px solid #8c8}")
            .Append(".err{border-left:3px solid #c44}.t{color:#888;font-size:small}</style></head><body>\n")
            .Append("<h1>").Append(WebUtility.HtmlEncode(title)).Append("</h1>\n");
        foreach (CellResult result in results)
        {
            if (result.Cell.Kind == NotebookCellKind.Markdown)
            {
                html.Append("<div class=\"md\">").Append(RenderMarkdown(result.Cell.Source)).Append("</div>\n");
                continue;
            }

            html.Append("<div class=\"t\">cell ").Append(result.Number).Append(", ").Append(result.Elapsed.TotalSeconds.ToString("F2", System.Globalization.CultureInfo.InvariantCulture)).Append(" s</div>\n")
                .Append("<pre>").Append(WebUtility.HtmlEncode(result.Cell.Source)).Append("</pre>\n");
            foreach (CellOutput output in result.Outputs)
            {
                html.Append(output.IsHtml ? "<div class=\"out\">" + output.Content + "</div>\n" : "<pre class=\"out\">" + WebUtility.HtmlEncode(output.Content) + "</pre>\n");
            }

            if (result.Error is not null)
            {
                html.Append("<pre class=\"out err\">").Append(WebUtility.HtmlEncode(result.Error)).Append("</pre>\n");
            }
        }

        return html.Append("</body></html>\n").ToString();
    }

    private static bool IsSafeUrl(string url)
    {
        int colon = url.IndexOf(':', StringComparison.Ordinal);
        int slash = url.IndexOfAny(['/', '?', '#']);
        if (colon < 0 || (slash >= 0 && slash < colon))
        {
            return true; // relative: no scheme
        }

        string scheme = url[..colon];
        return scheme.Equals("http", StringComparison.OrdinalIgnoreCase)
            || scheme.Equals("https", StringComparison.OrdinalIgnoreCase)
            || scheme.Equals("mailto", StringComparison.OrdinalIgnoreCase);
    }
}

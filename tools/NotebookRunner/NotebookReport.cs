using System.Net;
using System.Text;

namespace Andes.NotebookRunner;

/// <summary>Writes a run's cells and outputs as one HTML page (HTML outputs such as inline pictures as they are).</summary>
public static class NotebookReport
{
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
            .Append(".md{white-space:pre-wrap;font-family:sans-serif;background:none}.out{background:#fff;border-left:3px solid #8c8}")
            .Append(".err{border-left:3px solid #c44}.t{color:#888;font-size:small}</style></head><body>\n")
            .Append("<h1>").Append(WebUtility.HtmlEncode(title)).Append("</h1>\n");
        foreach (CellResult result in results)
        {
            if (result.Cell.Kind == NotebookCellKind.Markdown)
            {
                html.Append("<pre class=\"md\">").Append(WebUtility.HtmlEncode(result.Cell.Source)).Append("</pre>\n");
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
}

using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Andes.NotebookRunner;

/// <summary>
/// The globals every notebook cell sees, standing in for .NET Interactive's: <c>display(value)</c> and
/// <c>HTML(markup)</c>. Text is printed; HTML goes to the run's report (and a one-line note is printed).
/// </summary>
[SuppressMessage("Style", "IDE1006:Naming Styles", Justification = "The names .NET Interactive gives these globals.")]
public sealed class NotebookGlobals
{
    private readonly Action<CellOutput> _sink;

    /// <summary>Creates the globals.</summary>
    /// <param name="sink">Receives every displayed value.</param>
    public NotebookGlobals(Action<CellOutput> sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        _sink = sink;
    }

    /// <summary>Displays a value: HTML as HTML, sequences one item per line, anything else as its text.</summary>
    /// <param name="value">The value.</param>
    public void display(object? value) => _sink(Format(value));

    /// <summary>Wraps markup so that <see cref="display"/> shows it as HTML.</summary>
    /// <param name="html">The markup.</param>
    /// <returns>The HTML value.</returns>
    public HtmlContent HTML(string html) => new(html ?? string.Empty);

    /// <summary>The output a value displays as.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The output.</returns>
    public static CellOutput Format(object? value) => value switch
    {
        null => new CellOutput(false, "<null>"),
        HtmlContent html => new CellOutput(true, html.Html),
        string text => new CellOutput(false, text),
        IEnumerable items => new CellOutput(false, string.Join(Environment.NewLine, items.Cast<object?>().Select(i => i?.ToString() ?? "<null>"))),
        _ => new CellOutput(false, value.ToString() ?? string.Empty),
    };
}

namespace Andes.NotebookRunner;

/// <summary>HTML for <see cref="NotebookGlobals.display"/>, as .NET Interactive's <c>HTML(...)</c> returns.</summary>
/// <param name="Html">The markup.</param>
public sealed record HtmlContent(string Html)
{
    /// <inheritdoc />
    public override string ToString() => Html;
}

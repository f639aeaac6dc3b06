namespace Andes.NotebookRunner;

/// <summary>Where a run's notebooks restore their <c>#r "nuget: ..."</c> packages from, and into.</summary>
/// <param name="Feed">
/// The folder of this repository's packed packages (<c>dotnet pack Andes.sln -c Release -o artifacts/packages</c>); it
/// replaces the generated notebooks' <c>#i "nuget: /path/to/andes/artifacts/packages"</c> placeholder.
/// </param>
public sealed record NotebookRunSettings(string Feed);

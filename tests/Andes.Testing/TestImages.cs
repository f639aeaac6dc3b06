namespace Andes.Testing;

/// <summary>The small fixture images of the vision tests (tests/Andes.GenAI.Tests/Vision/Fixtures/inputs), for tests of other projects.</summary>
public static class TestImages
{
    private static readonly Lazy<string> Inputs = new(() =>
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = System.IO.Path.Combine(dir.FullName, "tests", "Andes.GenAI.Tests", "Vision", "Fixtures", "inputs");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException($"tests/Andes.GenAI.Tests/Vision/Fixtures/inputs not found above '{AppContext.BaseDirectory}'.");
    });

    /// <summary>The full path of a fixture image, e.g. <c>photo_120x90.jpg</c>.</summary>
    public static string Path(string name) => System.IO.Path.Combine(Inputs.Value, name);
}

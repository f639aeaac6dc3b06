namespace Andes.Samples.Tests;

/// <summary>
/// The samples run one at a time (each uses the machine's cores for a model and, for apps, a build); the notebooks of
/// the collection share one packed feed and packages folder.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SampleCollection : ICollectionFixture<NotebookFeedFixture>
{
    /// <summary>The collection name.</summary>
    public const string Name = "samples";
}

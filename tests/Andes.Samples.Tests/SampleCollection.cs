namespace Andes.Samples.Tests;

/// <summary>The samples run one at a time (each uses the machine's cores for a model and, for apps, a build).</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SampleCollection
{
    /// <summary>The collection name.</summary>
    public const string Name = "samples";
}

using Andes.GenAI;
namespace Andes.GenAI;

/// <summary>
/// The LoRA adapters and skills a host registers for an Andes chat client through dependency injection
/// (<see cref="Microsoft.Extensions.DependencyInjection.AndesServiceCollectionExtensions.AddAndesChatClient(Microsoft.Extensions.DependencyInjection.IServiceCollection, string, Action{AndesSkillsBuilder}, Action{AndesChatClientOptions}?, AndesModelOptions?)"/>):
/// adapters by name and path, skills built in code, and <c>skills.json</c> files, on top of the model folder's own
/// <c>skills.json</c> (unless <see cref="IncludeModelSkillsFile"/> is turned off).
/// </summary>
/// <remarks>
/// Nothing is read when the builder is configured: the files are read and the adapters loaded (once, kept resident)
/// when the container first creates the client. A skill naming an adapter that none of the sources registers is then
/// an <see cref="InvalidOperationException"/> naming both; an adapter that does not fit the model is a
/// <see cref="LoraAdapterException"/> naming the tensor.
/// </remarks>
public sealed class AndesSkillsBuilder
{
    private readonly List<(string Name, string Path)> _adapters = [];
    private readonly List<Skill> _skills = [];
    private readonly List<string> _files = [];

    /// <summary>Whether the <c>skills.json</c> beside the model (if any) is read first (default true).</summary>
    public bool IncludeModelSkillsFile { get; set; } = true;

    /// <summary>Registers a LoRA adapter that requests (<c>options.WithAdapter(name)</c>) and skills can activate.</summary>
    /// <param name="name">The adapter's name.</param>
    /// <param name="path">An <c>.onnx_adapter</c> file or a PEFT adapter folder (relative paths: to the current directory).</param>
    /// <returns>This builder.</returns>
    public AndesSkillsBuilder AddAdapter(string name, string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(path);
        _adapters.Add((name, Path.GetFullPath(path)));
        return this;
    }

    /// <summary>Registers a skill (<c>options.WithSkill(name)</c>; in Semantic Kernel, a function of the <c>AndesSkills</c> plugin).</summary>
    /// <param name="skill">The skill; its adapter, if any, must be registered by one of the sources.</param>
    /// <returns>This builder.</returns>
    public AndesSkillsBuilder AddSkill(Skill skill)
    {
        ArgumentNullException.ThrowIfNull(skill);
        _skills.Add(skill);
        return this;
    }

    /// <summary>Reads the skills and adapters of a <c>skills.json</c> (a file, or a folder holding one) when the client is created.</summary>
    /// <param name="path">The file or its folder.</param>
    /// <returns>This builder.</returns>
    public AndesSkillsBuilder AddSkillsFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        _files.Add(Path.GetFullPath(path));
        return this;
    }

    /// <summary>
    /// The skill registry: the model folder's <c>skills.json</c> (see <see cref="IncludeModelSkillsFile"/>), then the
    /// added files, then the adapters and skills added in code.
    /// </summary>
    /// <param name="modelDirectory">The model folder.</param>
    /// <returns>A new registry whose <see cref="SkillRegistry.AdapterFiles"/> lists every adapter registered.</returns>
    /// <exception cref="SkillConfigurationException">An invalid <c>skills.json</c> (the message names the field).</exception>
    /// <exception cref="InvalidOperationException">A skill name registered twice, or a skill whose adapter is not registered.</exception>
    public SkillRegistry BuildSkills(string modelDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelDirectory);
        var registry = new SkillRegistry();
        var sources = new List<SkillRegistry>();
        if (IncludeModelSkillsFile && SkillRegistry.TryLoadFromModelDirectory(modelDirectory) is { } folderSkills)
        {
            sources.Add(folderSkills);
        }

        sources.AddRange(_files.Select(SkillRegistry.Load));
        foreach (SkillRegistry source in sources)
        {
            foreach ((string name, string path) in source.AdapterFiles)
            {
                registry.AddAdapterFile(name, path);
            }

            foreach (Skill skill in source.Skills)
            {
                registry.Add(skill);
            }
        }

        foreach ((string name, string path) in _adapters)
        {
            registry.AddAdapterFile(name, path);
        }

        foreach (Skill skill in _skills)
        {
            registry.Add(skill);
        }

        IReadOnlyDictionary<string, string> adapters = registry.AdapterFiles;
        foreach (Skill skill in registry.Skills)
        {
            if (skill.Adapter is { } adapter && !adapters.ContainsKey(adapter))
            {
                throw new InvalidOperationException(
                    $"Skill '{skill.Name}' uses adapter '{adapter}', which is not registered (registered: {(adapters.Count == 0 ? "none" : string.Join(", ", adapters.Keys.Order(StringComparer.Ordinal)))}).");
            }
        }

        return registry;
    }

    /// <summary>Loads every adapter a skill registry lists into a new <see cref="AdapterRegistry"/> of the model.</summary>
    /// <param name="model">The model the adapters run on.</param>
    /// <param name="skills">The registry (see <see cref="BuildSkills"/>).</param>
    /// <returns>The adapter registry; dispose it before the model.</returns>
    /// <exception cref="LoraAdapterException">An adapter that cannot be read or does not fit the model (the message names the tensor).</exception>
    public static AdapterRegistry LoadAdapters(AndesModel model, SkillRegistry skills)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(skills);
        var registry = new AdapterRegistry(model);
        try
        {
            foreach ((string name, string path) in skills.AdapterFiles.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                registry.Load(name, path);
            }

            return registry;
        }
        catch
        {
            registry.Dispose();
            throw;
        }
    }
}

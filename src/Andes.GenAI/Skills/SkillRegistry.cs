using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;
using Andes.GenAI;
using Microsoft.Extensions.AI;

namespace Andes.GenAI;

/// <summary>
/// The skills of a deployment, by name: built in code (<see cref="Add"/>) or read from a <c>skills.json</c> beside the
/// model, which also lists the adapter files the skills use (<see cref="AdapterFiles"/>).
/// </summary>
/// <remarks>
/// <para><c>skills.json</c>:</para>
/// <code>
/// {
///   "adapters": { "ocr": "adapters/ocr.onnx_adapter", "summary": "adapters/summary-peft" },
///   "skills": [
///     { "name": "ocr", "description": "Reads the text in an image.", "adapter": "ocr",
///       "instructions": "Transcribe the text exactly.",
///       "options": { "temperature": 0, "max_output_tokens": 512, "stop": ["&lt;/text&gt;"], "enable_thinking": false },
///       "output_parser": "text" }
///   ]
/// }
/// </code>
/// <para>Adapter paths are relative to the file's folder. <c>options</c> takes temperature, top_p, top_k,
/// max_output_tokens, seed, frequency_penalty, presence_penalty, stop, enable_thinking, repetition_penalty, min_p,
/// do_sample; <c>output_parser</c> one of <see cref="SkillOutputParsers.Names"/>. Unknown fields are errors. Thread-safe.</para>
/// </remarks>
public sealed class SkillRegistry
{
    /// <summary>The file name beside a model.</summary>
    public const string FileName = "skills.json";

    private static readonly AndesGenAIJsonContext Json = new(new JsonSerializerOptions
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    });

    private readonly Dictionary<string, Skill> _skills = new(StringComparer.Ordinal);
    private readonly List<string> _order = [];
    private readonly Dictionary<string, string> _adapterFiles = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>Creates an empty registry.</summary>
    public SkillRegistry()
    {
    }

    /// <summary>Creates a registry holding <paramref name="skills"/>.</summary>
    /// <param name="skills">The skills (names must be unique).</param>
    public SkillRegistry(IEnumerable<Skill> skills)
    {
        ArgumentNullException.ThrowIfNull(skills);
        foreach (Skill skill in skills)
        {
            Add(skill);
        }
    }

    /// <summary>The skills, in the order they were added.</summary>
    public IReadOnlyList<Skill> Skills
    {
        get
        {
            lock (_lock)
            {
                return [.. _order.Select(n => _skills[n])];
            }
        }
    }

    /// <summary>The adapter files <c>skills.json</c> lists: adapter name to full path.</summary>
    public IReadOnlyDictionary<string, string> AdapterFiles
    {
        get
        {
            lock (_lock)
            {
                return new Dictionary<string, string>(_adapterFiles, StringComparer.Ordinal);
            }
        }
    }

    /// <summary>Adds a skill.</summary>
    /// <param name="skill">The skill.</param>
    /// <exception cref="InvalidOperationException">A skill of that name exists.</exception>
    public void Add(Skill skill)
    {
        ArgumentNullException.ThrowIfNull(skill);
        lock (_lock)
        {
            if (!_skills.TryAdd(skill.Name, skill))
            {
                throw new InvalidOperationException($"A skill named '{skill.Name}' is already registered.");
            }

            _order.Add(skill.Name);
        }
    }

    /// <summary>Records where an adapter's file is (for clients that load adapters for their skills).</summary>
    /// <param name="name">The adapter's name, as skills refer to it.</param>
    /// <param name="path">An <c>.onnx_adapter</c> file or a PEFT folder.</param>
    public void AddAdapterFile(string name, string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(path);
        lock (_lock)
        {
            _adapterFiles[name] = Path.GetFullPath(path);
        }
    }

    /// <summary>Finds a skill.</summary>
    /// <param name="name">Its name.</param>
    /// <param name="skill">The skill when found.</param>
    /// <returns>Whether it exists.</returns>
    public bool TryGet(string name, [NotNullWhen(true)] out Skill? skill)
    {
        ArgumentNullException.ThrowIfNull(name);
        lock (_lock)
        {
            return _skills.TryGetValue(name, out skill);
        }
    }

    /// <summary>Gets a skill.</summary>
    /// <param name="name">Its name.</param>
    /// <exception cref="KeyNotFoundException">No skill of that name (the message lists the known ones).</exception>
    public Skill Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        lock (_lock)
        {
            return _skills.TryGetValue(name, out Skill? skill)
                ? skill
                : throw new KeyNotFoundException($"No skill named '{name}' (known: {(_order.Count == 0 ? "none" : string.Join(", ", _order))}).");
        }
    }

    /// <summary>Reads <c>skills.json</c> (a file, or a folder holding one).</summary>
    /// <param name="path">The file or its folder.</param>
    /// <returns>The registry.</returns>
    /// <exception cref="SkillConfigurationException">Missing file, invalid JSON, an unknown field or an invalid value (named).</exception>
    public static SkillRegistry Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string file = Path.GetFullPath(Directory.Exists(path) ? Path.Combine(path, FileName) : path);
        if (!File.Exists(file))
        {
            throw new SkillConfigurationException($"Skills file not found: '{file}'.", file, null);
        }

        SkillsFile? content;
        try
        {
            content = JsonSerializer.Deserialize(File.ReadAllBytes(file), Json.SkillsFile);
        }
        catch (JsonException ex)
        {
            throw new SkillConfigurationException($"'{file}' is not a valid skills file (at '{ex.Path}'): {ex.Message}", file, ex.Path, ex);
        }

        if (content is null)
        {
            throw new SkillConfigurationException($"'{file}' is empty.", file, null);
        }

        var registry = new SkillRegistry();
        string folder = Path.GetDirectoryName(file)!;
        foreach ((string name, string relative) in content.Adapters ?? [])
        {
            if (string.IsNullOrWhiteSpace(name) || string.IsNullOrWhiteSpace(relative))
            {
                throw new SkillConfigurationException($"'{file}': field 'adapters' has an entry with an empty name or path.", file, "adapters");
            }

            registry.AddAdapterFile(name, Path.Combine(folder, relative));
        }

        List<SkillsFile.Entry> entries = content.Skills ?? [];
        for (int i = 0; i < entries.Count; i++)
        {
            Skill skill = ToSkill(entries[i], i, file, content.Adapters);
            if (registry.TryGet(skill.Name, out _))
            {
                throw new SkillConfigurationException($"'{file}': field 'skills[{i}].name': skill '{skill.Name}' is defined twice.", file, $"skills[{i}].name");
            }

            registry.Add(skill);
        }

        return registry;
    }

    /// <summary>Reads the <c>skills.json</c> beside a model, or returns null when there is none.</summary>
    /// <param name="modelDirectory">The model folder.</param>
    /// <exception cref="SkillConfigurationException">The file exists but is invalid.</exception>
    public static SkillRegistry? TryLoadFromModelDirectory(string modelDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelDirectory);
        return File.Exists(Path.Combine(modelDirectory, FileName)) ? Load(Path.Combine(modelDirectory, FileName)) : null;
    }

    private static Skill ToSkill(SkillsFile.Entry entry, int index, string file, Dictionary<string, string>? adapters)
    {
        string at = $"skills[{index}]";
        if (string.IsNullOrEmpty(entry.Name))
        {
            throw new SkillConfigurationException($"'{file}': field '{at}.name' is missing.", file, at + ".name");
        }

        if (entry.Adapter is { } adapter && adapters?.ContainsKey(adapter) != true)
        {
            throw new SkillConfigurationException(
                $"'{file}': field '{at}.adapter' names '{adapter}', which 'adapters' does not list ({(adapters is { Count: > 0 } ? string.Join(", ", adapters.Keys) : "it is empty")}).",
                file,
                at + ".adapter");
        }

        Func<string, object?>? parser = null;
        if (entry.OutputParser is { } parserName)
        {
            try
            {
                parser = SkillOutputParsers.Get(parserName);
            }
            catch (ArgumentException ex)
            {
                throw new SkillConfigurationException($"'{file}': field '{at}.output_parser': {ex.Message}", file, at + ".output_parser", ex);
            }
        }

        try
        {
            return new Skill
            {
                Name = entry.Name,
                Description = entry.Description ?? string.Empty,
                Adapter = entry.Adapter,
                Instructions = entry.Instructions,
                DefaultOptions = ToChatOptions(entry.Options),
                OutputParser = parser,
            };
        }
        catch (ArgumentException ex)
        {
            throw new SkillConfigurationException($"'{file}': field '{at}.name': {ex.Message}", file, at + ".name", ex);
        }
    }

    private static ChatOptions? ToChatOptions(SkillsFile.Options? o)
    {
        if (o is null)
        {
            return null;
        }

        var options = new ChatOptions
        {
            Temperature = o.Temperature,
            TopP = o.TopP,
            TopK = o.TopK,
            MaxOutputTokens = o.MaxOutputTokens,
            Seed = o.Seed,
            FrequencyPenalty = o.FrequencyPenalty,
            PresencePenalty = o.PresencePenalty,
            StopSequences = o.Stop,
        };
        var extra = new AdditionalPropertiesDictionary();
        if (o.EnableThinking is bool thinking)
        {
            extra[AndesChatOptionKeys.EnableThinking] = thinking;
        }

        if (o.RepetitionPenalty is float rp)
        {
            extra[AndesChatOptionKeys.RepetitionPenalty] = rp;
        }

        if (o.MinP is float minP)
        {
            extra[AndesChatOptionKeys.MinP] = minP;
        }

        if (o.DoSample is bool doSample)
        {
            extra[AndesChatOptionKeys.DoSample] = doSample;
        }

        options.AdditionalProperties = extra.Count > 0 ? extra : null;
        return options;
    }
}

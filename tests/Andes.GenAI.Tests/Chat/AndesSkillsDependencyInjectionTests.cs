using Andes.GenAI;
using Andes.Testing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace Andes.GenAI.Tests.Chat;

/// <summary>A host registers LoRA adapters and skills with the chat client through dependency injection.</summary>
public sealed class AndesSkillsDependencyInjectionTests
{
    private static readonly ChatMessage[] Prompt = [new(ChatRole.User, "Read it.")];

    private static ChatOptions Greedy() => new() { Temperature = 0, MaxOutputTokens = 8 };

    [Fact]
    public async Task AdaptersAndSkillsRegisteredInCodeAreActivatedPerRequest()
    {
        var services = new ServiceCollection();
        services.AddAndesChatClient(
            TestModels.TinyFp32LoraModel,
            skills => skills
                .AddAdapter("ocr", TestModels.TinyPeftAdapter(7))
                .AddAdapter("other", TestModels.TinyPeftAdapter(8))
                .AddSkill(new Skill { Name = "read", Description = "Reads text.", Adapter = "ocr", Instructions = "Transcribe exactly.", DefaultOptions = Greedy() }),
            o => o.MaxCachedConversations = 0);
        AdapterRegistry adapters;
        await using (ServiceProvider provider = services.BuildServiceProvider())
        {
            IChatClient client = provider.GetRequiredService<IChatClient>();
            adapters = provider.GetRequiredService<AdapterRegistry>();
            Assert.Same(adapters, client.GetService<AdapterRegistry>());
            Assert.Same(provider.GetRequiredService<SkillRegistry>(), client.GetService<SkillRegistry>());
            Assert.Same(provider.GetRequiredService<AndesModel>(), adapters.Model);
            Assert.Equal(["ocr", "other"], adapters.Names.Order(StringComparer.Ordinal));
            Assert.Equal(["read"], provider.GetRequiredService<SkillRegistry>().Skills.Select(s => s.Name));

            // The skill runs with its adapter and instructions: the same answer as asking with them by hand.
            string viaSkill = (await client.GetResponseAsync(Prompt, new ChatOptions().WithSkill("read"))).Text;
            ChatOptions byHand = Greedy().WithAdapter("ocr");
            byHand.Instructions = "Transcribe exactly.";
            Assert.Equal((await client.GetResponseAsync(Prompt, byHand)).Text, viaSkill);
            ChatOptions withoutAdapter = Greedy();
            withoutAdapter.Instructions = "Transcribe exactly.";
            Assert.NotEqual((await client.GetResponseAsync(Prompt, withoutAdapter)).Text, viaSkill);
            Assert.NotEqual((await client.GetResponseAsync(Prompt, Greedy().WithAdapter("other"))).Text, (await client.GetResponseAsync(Prompt, Greedy().WithAdapter("ocr"))).Text);
        }

        // The container disposed the registry (and with it the adapters) and the model.
        Assert.Equal(0, adapters.Count);
    }

    [Fact]
    public async Task SkillsFilesAndTheModelFoldersFileAreMerged()
    {
        using TemporaryDirectory model = TestModels.CreateTemporaryDirectory();
        foreach (string file in Directory.GetFiles(TestModels.TinyFp32LoraModel))
        {
            File.Copy(file, Path.Combine(model.Path, Path.GetFileName(file)));
        }

        File.WriteAllText(Path.Combine(model.Path, SkillRegistry.FileName), $$"""
            { "adapters": { "folder-adapter": "{{TestModels.TinyPeftAdapter(7).Replace("\\", "\\\\", StringComparison.Ordinal)}}" },
              "skills": [ { "name": "from-folder", "adapter": "folder-adapter" } ] }
            """);
        using TemporaryDirectory extra = TestModels.CreateTemporaryDirectory();
        File.WriteAllText(Path.Combine(extra.Path, SkillRegistry.FileName), """{ "skills": [ { "name": "from-file", "description": "No adapter." } ] }""");

        var services = new ServiceCollection();
        services.AddKeyedAndesChatClient("tiny", model.Path, skills => skills
            .AddSkillsFile(extra.Path)
            .AddSkill(new Skill { Name = "from-code", Adapter = "folder-adapter" }));
        await using ServiceProvider provider = services.BuildServiceProvider();
        IChatClient client = provider.GetRequiredKeyedService<IChatClient>("tiny");
        SkillRegistry skills = client.GetService<SkillRegistry>()!;
        Assert.Equal(["from-folder", "from-file", "from-code"], skills.Skills.Select(s => s.Name));
        Assert.Equal(["folder-adapter"], client.GetService<AdapterRegistry>()!.Names);
        Assert.NotEmpty((await client.GetResponseAsync(Prompt, Greedy().WithSkill("from-code"))).Text);

        // Without the folder's file, the skill that needs its adapter is a named error when the client is created.
        var without = new ServiceCollection();
        without.AddAndesChatClient(model.Path, skills =>
        {
            skills.IncludeModelSkillsFile = false;
            skills.AddSkill(new Skill { Name = "from-code", Adapter = "folder-adapter" });
        });
        await using ServiceProvider withoutProvider = without.BuildServiceProvider();
        InvalidOperationException ex = Assert.Throws<InvalidOperationException>(() => withoutProvider.GetRequiredService<IChatClient>());
        Assert.Contains("'from-code'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'folder-adapter'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnAdapterThatDoesNotFitTheModelIsRejectedNamingTheTensor()
    {
        var services = new ServiceCollection();
        services.AddAndesChatClient(TestModels.TinyFp32Model, skills => skills.AddAdapter("ocr", TestModels.TinyPeftAdapter(7)));
        await using ServiceProvider provider = services.BuildServiceProvider();
        LoraAdapterException ex = Assert.Throws<LoraAdapterException>(() => provider.GetRequiredService<IChatClient>());
        Assert.Contains("no LoRA inputs", ex.Message, StringComparison.Ordinal);
        Assert.NotNull(ex.TensorName);
    }
}

using System.Reflection;
using Andes.GenAI;
using Microsoft.Extensions.AI;

namespace Andes.GenAI.Tests.Chat;

/// <summary>
/// The library is compiled against the oldest Microsoft.Extensions.AI line it supports (10.11) and these tests run it on
/// the current one (11.0), as an application that upgrades does: every other test in this assembly is then a test of
/// that combination. This one checks the combination is really the one loaded.
/// </summary>
public sealed class ExtensionsLineTests
{
    [Fact]
    public void TheLibraryBuiltAgainstTenRunsOnElevenHere()
    {
        AssemblyName compiledAgainst = typeof(AndesChatClient).Assembly.GetReferencedAssemblies()
            .Single(a => a.Name == "Microsoft.Extensions.AI.Abstractions");
        Assert.Equal(10, compiledAgainst.Version!.Major);
        Assert.Equal(11, typeof(IChatClient).Assembly.GetName().Version!.Major);
        Assert.Equal(11, typeof(FunctionInvokingChatClient).Assembly.GetName().Version!.Major);
    }
}

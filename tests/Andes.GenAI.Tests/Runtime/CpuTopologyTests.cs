using Andes.GenAI;
using Andes.Testing;

namespace Andes.GenAI.Tests.Runtime;

public sealed class CpuTopologyTests
{
    [Fact]
    public void SmtSiblingsCountOnceAndPackagesApart()
    {
        using TemporaryDirectory sys = TestModels.CreateTemporaryDirectory();
        WriteCpu(sys.Path, 0, package: 0, core: 0);
        WriteCpu(sys.Path, 1, package: 0, core: 0); // SMT sibling of cpu0
        WriteCpu(sys.Path, 2, package: 0, core: 1);
        WriteCpu(sys.Path, 3, package: 1, core: 0); // same core id on another package

        Assert.Equal(3, CpuTopology.CountPhysicalCores(sys.Path, [0, 1, 2, 3]));
        Assert.Equal(1, CpuTopology.CountPhysicalCores(sys.Path, [0, 1]));
        Assert.Equal(2, CpuTopology.CountPhysicalCores(sys.Path, [1, 3]));
    }

    [Fact]
    public void AMissingOrUnreadableTopologyGivesNoCount()
    {
        using TemporaryDirectory sys = TestModels.CreateTemporaryDirectory();
        WriteCpu(sys.Path, 0, package: 0, core: 0);
        Assert.Null(CpuTopology.CountPhysicalCores(sys.Path, [0, 1]));
        File.WriteAllText(Path.Combine(sys.Path, "cpu0", "topology", "core_id"), "not a number");
        Assert.Null(CpuTopology.CountPhysicalCores(sys.Path, [0]));
        Assert.Null(CpuTopology.CountPhysicalCores(sys.Path, []));
    }

    [Theory]
    [InlineData("0-1", new[] { 0, 1 })]
    [InlineData("0-3,8,10-11\n", new[] { 0, 1, 2, 3, 8, 10, 11 })]
    [InlineData(" 64-66 , 130", new[] { 64, 65, 66, 130 })]
    public void CpuListsParseLikeTheKernelWritesThem(string list, int[] expected)
        => Assert.Equal(expected, CpuTopology.ParseCpuList(list));

    [Theory]
    [InlineData("")]
    [InlineData("3-1")]
    [InlineData("a-b")]
    [InlineData("1,,x")]
    public void MalformedCpuListsGiveNothing(string list) => Assert.Null(CpuTopology.ParseCpuList(list));

    [Fact]
    public void OnLinuxThisMachinesCountIsWithinItsProcessors()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Null(CpuTopology.PhysicalCoresAvailable);
            return;
        }

        Assert.InRange(CpuTopology.PhysicalCoresAvailable!.Value, 1, Environment.ProcessorCount);
    }

    [Fact]
    public void TheCallersThreadCountWinsThenTheConfigsThenTheTopology()
    {
        var config = new GenAISessionOptions { IntraOpNumThreads = 3 };
        Assert.Equal(5, SessionOptionsFactory.ResolveIntraOpThreads(new AndesModelOptions { IntraOpNumThreads = 5 }, config));
        Assert.Equal(3, SessionOptionsFactory.ResolveIntraOpThreads(new AndesModelOptions(), config));
        Assert.Equal(CpuTopology.PhysicalCoresAvailable, SessionOptionsFactory.ResolveIntraOpThreads(new AndesModelOptions(), null));
    }

    private static void WriteCpu(string root, int cpu, int package, int core)
    {
        string topology = Path.Combine(root, "cpu" + cpu, "topology");
        Directory.CreateDirectory(topology);
        File.WriteAllText(Path.Combine(topology, "physical_package_id"), package + "\n");
        File.WriteAllText(Path.Combine(topology, "core_id"), core + "\n");
    }
}

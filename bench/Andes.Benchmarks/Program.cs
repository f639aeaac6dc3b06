using BenchmarkDotNet.Running;

// Micro-benchmarks (BenchmarkDotNet), e.g.:
//   dotnet run -c Release --project bench/Andes.Benchmarks -- --filter '*LogitsSampler*' --job short
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;

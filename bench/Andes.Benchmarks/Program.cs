// Benchmarks entry point; commands are added by the engine and vision issues.
return 0;

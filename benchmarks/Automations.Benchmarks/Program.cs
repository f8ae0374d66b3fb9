using Automations.Benchmarks.Engine;
using BenchmarkDotNet.Running;

if (args is ["--paired-dispatch", ..])
{
    return await PairedDispatch.RunAsync(args[1..]);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;

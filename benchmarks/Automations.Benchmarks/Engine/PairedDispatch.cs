using System.Diagnostics;
using System.Globalization;

namespace Automations.Benchmarks.Engine;

/// <summary>
/// The dispatch comparison of <see cref="DispatchBenchmarks"/> for machines whose speed drifts between phases (a
/// shared VM): BenchmarkDotNet measures the loop and the engine one after the other, minutes apart, so a slow phase
/// during one of them moves the ratio. This runs the same two benchmark methods in one process, in alternating
/// rounds (each round a few hundred requests, the order swapped every pair), and reports the median of the
/// per-pair ratios. Run it with
/// <c>dotnet run -c Release --project benchmarks/Automations.Benchmarks -- --paired-dispatch [pairs] [warm-up rounds]</c>.
/// </summary>
internal static class PairedDispatch
{
    private const int InvocationsPerRound = 20;

    public static async Task<int> RunAsync(string[] args)
    {
        if (!TryParse(args, 0, 30, out var pairs) || !TryParse(args, 1, 400, out var warmupRounds))
        {
            await Console.Error.WriteLineAsync("Usage: --paired-dispatch [pairs (default 30)] [warm-up rounds (default 400)]; both positive integers.");
            return 2;
        }

        var benchmark = new DispatchBenchmarks();
        await benchmark.SetupAsync();
        try
        {
            // The engine keeps getting faster for a few seconds (tiered compilation); the loop settles sooner.
            for (var i = 0; i < warmupRounds; i++)
            {
                await benchmark.Engine_deliveries();
                await benchmark.HttpClient_loop();
            }

            var engine = new double[pairs];
            var loop = new double[pairs];
            var ratios = new double[pairs];
            for (var i = 0; i < pairs; i++)
            {
                if (i % 2 == 0)
                {
                    engine[i] = await MeasureAsync(benchmark.Engine_deliveries);
                    loop[i] = await MeasureAsync(benchmark.HttpClient_loop);
                }
                else
                {
                    loop[i] = await MeasureAsync(benchmark.HttpClient_loop);
                    engine[i] = await MeasureAsync(benchmark.Engine_deliveries);
                }

                ratios[i] = loop[i] / engine[i];
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{pairs} pairs of {InvocationsPerRound * DispatchBenchmarks.Requests} requests each side, after {warmupRounds} warm-up rounds"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"HttpClient loop:   median {Median(loop):0.00} us per request (min {loop.Min():0.00}, max {loop.Max():0.00})"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Engine deliveries: median {Median(engine):0.00} us per request (min {engine.Min():0.00}, max {engine.Max():0.00})"));
            Array.Sort(ratios);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"The engine reaches {Median(ratios):P1} of the loop's requests/s (median of the per-pair ratios; quartiles {Quantile(ratios, 0.25):P1} to {Quantile(ratios, 0.75):P1})"));
            return 0;
        }
        finally
        {
            await benchmark.CleanupAsync();
        }
    }

    private static async Task<double> MeasureAsync(Func<Task> operation)
    {
        GC.Collect();
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < InvocationsPerRound; i++)
        {
            await operation();
        }

        return Stopwatch.GetElapsedTime(started).TotalMicroseconds / (InvocationsPerRound * DispatchBenchmarks.Requests);
    }

    private static bool TryParse(string[] args, int index, int fallback, out int value)
    {
        if (args.Length <= index)
        {
            value = fallback;
            return true;
        }

        return int.TryParse(args[index], NumberStyles.None, CultureInfo.InvariantCulture, out value) && value > 0;
    }

    private static double Median(double[] values) => Quantile([.. values.Order()], 0.5);

    private static double Quantile(double[] sorted, double q) => sorted[(int)Math.Round(q * (sorted.Length - 1))];
}

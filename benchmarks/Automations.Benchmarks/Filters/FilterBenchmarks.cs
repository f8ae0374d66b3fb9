using Automations.Core.Domain.Filters;
using BenchmarkDotNet.Attributes;

namespace Automations.Benchmarks.Filters;

/// <summary>Parsing a W&amp;B filter, and matching events against it (the per-event hot path).</summary>
[MemoryDiagnoser]
public class FilterBenchmarks
{
    private const string WandbAliasRegex = """{"$or":[{"$and":[{"alias":{"$regex":"^prod"}}]}]}""";

    private const string Complex = """
        {"$or":[{"$and":[
          {"alias":{"$regex":"^prod","$options":"i"}},
          {"tag":{"$nin":["wip","broken"]}},
          {"collection":{"$in":["models","datasets"],"$exists":true}},
          {"$nor":[{"alias":{"$contains":"tmp"}}]}
        ]}]}
        """;

    private readonly EventFilter _wandb = EventFilter.Parse(WandbAliasRegex);
    private readonly EventFilter _complex = EventFilter.Parse(Complex);
    private readonly FilterSubject _subject = new(["v12", "latest", "production"], ["nightly"], "models");

    [Benchmark]
    public EventFilter Parse_wandb_alias_regex() => EventFilter.Parse(WandbAliasRegex);

    [Benchmark]
    public bool Match_wandb_alias_regex() => _wandb.Matches(_subject);

    [Benchmark]
    public bool Match_complex() => _complex.Matches(_subject);
}

using Automations.Core.Domain;
using Automations.Core.Domain.Actions;
using Automations.Core.Domain.Artifacts;
using Automations.Core.Domain.Events;
using Automations.Core.Domain.Filters;
using Automations.Core.Domain.Scopes;
using Automations.Core.Domain.Triggers;
using Automations.Core.Engine;
using Automations.Core.Storage.InMemory;
using BenchmarkDotNet.Attributes;

namespace Automations.Benchmarks.Engine;

/// <summary>
/// Matching one event against every automation: the indexed candidate lookup plus trigger and filter checks, with
/// 10 automations per project (10³ automations over 10² projects, and 10⁶ over 10⁵). Each invocation matches 1,024
/// events spread over random projects, so the figure is per event and not cache-hot on one bucket.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class MatchingBenchmarks
{
    private const int EventsPerInvoke = 1024;
    private static readonly DateTimeOffset T0 = new(2026, 11, 27, 0, 0, 0, TimeSpan.Zero);
    private InMemoryAutomationStore _store = null!;
    private ArtifactEvent[] _events = null!;

    /// <summary>How many automations the store holds.</summary>
    [Params(1_000, 1_000_000)]
    public int Automations { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _store = new InMemoryAutomationStore();
        var projects = Automations / 10;
        var prod = EventFilter.Parse("""{"$or":[{"$and":[{"alias":{"$regex":"^prod"}}]}]}""");
        var noTmp = EventFilter.Parse("""{"alias":{"$nin":["tmp","wip"]},"tag":{"$ne":"broken"}}""");
        var n = 0;
        for (var p = 0; p < projects; p++)
        {
            var scope = AutomationScope.ForProject("team" + (p % 1000), "project" + p);
            AutomationTrigger[] triggers =
            [
                new(ArtifactEventType.LinkArtifact, scope, null, "dataset"),
                new(ArtifactEventType.LinkArtifact, scope, noTmp, "dataset"),
                new(ArtifactEventType.LinkArtifact, scope, null, "model"),
                new(ArtifactEventType.LinkArtifact, scope, noTmp),
                new(ArtifactEventType.AddArtifactAlias, scope, prod),
            ];
            for (var i = 0; i < 10; i++)
            {
                var automation = new Automation("aut_" + n++, "automation " + i, triggers[i % triggers.Length], NoOpAction.Instance, T0, T0);
                _store.AddAsync(automation).AsTask().GetAwaiter().GetResult();
            }
        }

        var random = new Random(42);
        _events = new ArtifactEvent[EventsPerInvoke];
        for (var e = 0; e < EventsPerInvoke; e++)
        {
            var p = random.Next(projects);
            var container = ArtifactContainer.Project("team" + (p % 1000), "project" + p);
            var version = new ArtifactVersion("id" + e, "dataset", "v" + e, ["latest", "v" + e]);
            _events[e] = e % 4 == 3
                ? new ArtifactEvent("e" + e, ArtifactEventType.AddArtifactAlias, container, "dataset", version, "alice", T0, alias: "production")
                : new ArtifactEvent("e" + e, ArtifactEventType.LinkArtifact, container, "dataset", version, "alice", T0);
        }

        if (MatchAll() == 0)
        {
            throw new InvalidOperationException("The benchmark events matched nothing.");
        }
    }

    /// <summary>Candidate lookup + trigger/filter checks for one event (per-event time: divide by nothing, see OperationsPerInvoke).</summary>
    /// <returns>The number of matches, so the work is not optimised away.</returns>
    [Benchmark(OperationsPerInvoke = EventsPerInvoke)]
    public int Match_one_event() => MatchAll();

    private int MatchAll()
    {
        var matches = 0;
        for (var e = 0; e < _events.Length; e++)
        {
            var artifactEvent = _events[e];
            var subject = TriggerMatcher.SubjectOf(artifactEvent);
            foreach (var automation in _store.FindCandidates(artifactEvent))
            {
                if (TriggerMatcher.Matches(automation, artifactEvent, subject))
                {
                    matches++;
                }
            }
        }

        return matches;
    }
}

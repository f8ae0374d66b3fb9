using Automations.Core.Abstractions;
using Automations.Core.Domain.Artifacts;
using Automations.Core.Domain.Deliveries;
using Automations.Core.Domain.Scopes;

namespace Automations.Core.Tests.Engine;

public class AutomationEngineTests
{
    [Fact]
    public async Task Event_fires_every_matching_automation_once_each()
    {
        var h = new EngineHarness();
        var a = await h.CreateAsync("a", EngineHarness.OnLink());
        var b = await h.CreateAsync("b", EngineHarness.OnLink(collection: "ds"));
        await h.CreateAsync("other-collection", EngineHarness.OnLink(collection: "other"));
        await h.CreateAsync("other-project", EngineHarness.OnLink(project: "nlp"));

        var result = await h.Engine.PublishAsync(h.Link());

        Assert.False(result.Duplicate);
        Assert.Equal(2, result.DeliveryIds.Count);
        var automations = new List<string>();
        foreach (var id in result.DeliveryIds)
        {
            automations.Add((await h.DeliveryAsync(id)).AutomationId);
        }

        Assert.Equal(new[] { a.Id, b.Id }.Order(), automations.Order());
    }

    [Fact]
    public async Task Publishing_the_same_event_id_twice_delivers_once()
    {
        var h = new EngineHarness();
        await h.CreateAsync("a", EngineHarness.OnLink());

        var first = await h.Engine.PublishAsync(h.Link(eventId: "same"));
        var second = await h.Engine.PublishAsync(h.Link(eventId: "same"));
        await h.Worker.RunOnceAsync();

        Assert.Single(first.DeliveryIds);
        Assert.True(second.Duplicate);
        Assert.Empty(second.DeliveryIds);
        Assert.Single(h.Handler.Attempts);
    }

    [Fact]
    public async Task Project_and_registry_automations_never_trigger_each_other()
    {
        var h = new EngineHarness();
        var project = await h.CreateAsync("p", EngineHarness.OnLink(scope: AutomationScope.ForProject("acme", "models")));
        var registry = await h.CreateAsync("r", EngineHarness.OnLink(scope: AutomationScope.ForRegistry("acme", "models")));

        var projectEvent = await h.Engine.PublishAsync(h.Link(project: "models"));
        var registryEvent = await h.Engine.PublishAsync(h.Link(project: "models", kind: ArtifactContainerKind.Registry));

        Assert.Equal(project.Id, (await h.DeliveryAsync(Assert.Single(projectEvent.DeliveryIds))).AutomationId);
        Assert.Equal(registry.Id, (await h.DeliveryAsync(Assert.Single(registryEvent.DeliveryIds))).AutomationId);
    }

    [Fact]
    public async Task Disabled_automations_do_not_fire()
    {
        var h = new EngineHarness();
        var a = await h.CreateAsync("a", EngineHarness.OnLink());
        await h.Manager.SetEnabledAsync(h.Alice, a.Id, enabled: false);

        var result = await h.Engine.PublishAsync(h.Link());

        Assert.Empty(result.DeliveryIds);
    }

    [Fact]
    public async Task Rate_limit_suppresses_the_flood_and_records_it()
    {
        var h = new EngineHarness(o => { o.RateLimitPerAutomation = 2; o.RateLimitWindow = TimeSpan.FromMinutes(1); });
        var a = await h.CreateAsync("a", EngineHarness.OnLink());

        var results = new List<Automations.Core.Engine.PublishResult>();
        for (var i = 0; i < 4; i++)
        {
            results.Add(await h.Engine.PublishAsync(h.Link()));
        }

        Assert.Equal([1, 1, 0, 0], results.Select(r => r.DeliveryIds.Count));
        Assert.Equal([0, 0, 1, 1], results.Select(r => r.SuppressedDeliveryIds.Count));
        var suppressed = await h.DeliveryAsync(results[3].SuppressedDeliveryIds[0]);
        Assert.Equal(DeliveryStatus.Suppressed, suppressed.Status);
        Assert.Equal(2, (await h.HistoryAsync(a.Id)).Count(r => r.Status == ExecutionStatus.Suppressed));

        await h.Worker.RunOnceAsync();
        Assert.Equal(2, h.Handler.Attempts.Count);

        h.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Single((await h.Engine.PublishAsync(h.Link())).DeliveryIds);
    }

    [Fact]
    public async Task Duplicate_publish_does_not_use_up_the_rate_limit()
    {
        var h = new EngineHarness(o => o.RateLimitPerAutomation = 1);
        await h.CreateAsync("a", EngineHarness.OnLink());

        await h.Engine.PublishAsync(h.Link(eventId: "x"));
        h.Time.Advance(TimeSpan.FromMinutes(2));
        await h.Engine.PublishAsync(h.Link(eventId: "y"));
        var duplicate = await h.Engine.PublishAsync(h.Link(eventId: "y"));
        h.Time.Advance(TimeSpan.FromSeconds(61));
        var next = await h.Engine.PublishAsync(h.Link(eventId: "z"));

        Assert.True(duplicate.Duplicate);
        Assert.Single(next.DeliveryIds);
    }

    [Fact]
    public async Task Planned_delivery_keeps_the_automation_as_it_was()
    {
        var h = new EngineHarness();
        var a = await h.CreateAsync("a", EngineHarness.OnLink(), EngineHarness.ScriptedAction("old"));
        var result = await h.Engine.PublishAsync(h.Link());

        await h.Manager.UpdateAsync(h.Alice, a.Id, new Automations.Core.Engine.AutomationDefinition("a", EngineHarness.OnLink(), EngineHarness.ScriptedAction("new")));
        await h.Worker.RunOnceAsync();

        var attempt = Assert.Single(h.Handler.Attempts);
        var action = Assert.IsType<Automations.Core.Domain.Actions.CustomAction>(attempt.Delivery.Automation.Action);
        Assert.Equal("old", action.Configuration.GetProperty("target").GetString());
        Assert.Equal(result.DeliveryIds[0], attempt.Delivery.Id);
    }

    [Fact]
    public async Task Deleting_an_automation_does_not_cancel_planned_deliveries()
    {
        var h = new EngineHarness();
        var a = await h.CreateAsync("a", EngineHarness.OnLink());
        var result = await h.Engine.PublishAsync(h.Link());

        await h.Manager.DeleteAsync(h.Alice, a.Id);
        await h.Worker.RunOnceAsync();

        Assert.Single(h.Handler.Attempts);
        Assert.Equal(DeliveryStatus.Succeeded, (await h.DeliveryAsync(result.DeliveryIds[0])).Status);
    }

    [Fact]
    public async Task Publish_many_publishes_each_event_idempotently()
    {
        var h = new EngineHarness();
        await h.CreateAsync("a", EngineHarness.OnLink());

        var results = await h.Engine.PublishManyAsync([h.Link(eventId: "1"), h.Link(eventId: "2"), h.Link(eventId: "1")]);

        Assert.Equal([false, false, true], results.Select(r => r.Duplicate));
        Assert.Equal(2, await h.Deliveries.CountPendingAsync());
    }

    [Fact]
    public async Task Alias_filter_decides_which_alias_events_fire()
    {
        var h = new EngineHarness();
        await h.CreateAsync("on-prod", FilteredTrigger(Automations.Core.Domain.Events.ArtifactEventType.AddArtifactAlias, """{"$or":[{"$and":[{"alias":{"$regex":"^prod"}}]}]}"""));

        var prod = await h.Engine.PublishAsync(AliasEvent(h, "production"));
        var staging = await h.Engine.PublishAsync(AliasEvent(h, "staging"));
        var link = await h.Engine.PublishAsync(h.Link());

        Assert.Single(prod.DeliveryIds);
        Assert.Empty(staging.DeliveryIds);
        Assert.Empty(link.DeliveryIds);
    }

    [Fact]
    public async Task An_alias_filter_judges_the_alias_added_not_the_ones_the_version_already_has()
    {
        // W&B: OnAddArtifactAlias(filter=ArtifactEvent.alias.eq("prod")) fires "whenever the alias prod is assigned".
        var h = new EngineHarness();
        await h.CreateAsync("on-prod", FilteredTrigger(Automations.Core.Domain.Events.ArtifactEventType.AddArtifactAlias, """{"alias":{"$regex":"^prod"}}"""));
        await h.CreateAsync("not-tmp", FilteredTrigger(Automations.Core.Domain.Events.ArtifactEventType.AddArtifactAlias, """{"alias":{"$not":{"$regex":"^tmp-"}}}"""));

        // The version already carries "production"; the event adds "tmp-1", then "staging".
        var tmp = await h.Engine.PublishAsync(AliasEvent(h, "tmp-1", versionAliases: ["latest", "production"]));
        var staging = await h.Engine.PublishAsync(AliasEvent(h, "staging", versionAliases: ["latest", "production", "tmp-1"]));

        Assert.Empty(tmp.DeliveryIds);
        Assert.Equal(["not-tmp"], await AutomationNamesAsync(h, staging));
    }

    [Fact]
    public async Task On_a_link_event_an_alias_filter_sees_the_version_aliases()
    {
        var h = new EngineHarness();
        await h.CreateAsync("latest-links", FilteredTrigger(Automations.Core.Domain.Events.ArtifactEventType.LinkArtifact, """{"alias":"latest"}"""));
        await h.CreateAsync("prod-links", FilteredTrigger(Automations.Core.Domain.Events.ArtifactEventType.LinkArtifact, """{"alias":"prod"}"""));

        var link = await h.Engine.PublishAsync(h.Link()); // the linked version has the alias "latest"

        Assert.Equal(["latest-links"], await AutomationNamesAsync(h, link));
    }

    [Fact]
    public async Task A_tag_filter_on_a_tag_event_judges_the_tag_added()
    {
        var h = new EngineHarness();
        await h.CreateAsync("on-europe", FilteredTrigger(Automations.Core.Domain.Events.ArtifactEventType.AddArtifactTag, """{"tag":"europe"}"""));

        var tagged = (string tag, string[] versionTags) => new Automations.Core.Domain.Events.ArtifactEvent(
            "tag-" + tag,
            Automations.Core.Domain.Events.ArtifactEventType.AddArtifactTag,
            ArtifactContainer.Project("acme", "vision"),
            "ds",
            new ArtifactVersion("101", "ds", "v1", ["latest"], tags: versionTags),
            "alice",
            h.Time.GetUtcNow(),
            tag: tag);

        var europe = await h.Engine.PublishAsync(tagged("europe", []));
        var asia = await h.Engine.PublishAsync(tagged("asia", ["europe"]));

        Assert.Single(europe.DeliveryIds);
        Assert.Empty(asia.DeliveryIds);
    }

    private static Automations.Core.Domain.Triggers.AutomationTrigger FilteredTrigger(Automations.Core.Domain.Events.ArtifactEventType type, string filter)
        => new(type, AutomationScope.ForProject("acme", "vision"), Automations.Core.Domain.Filters.EventFilter.Parse(filter));

    private static async Task<string[]> AutomationNamesAsync(EngineHarness h, Automations.Core.Engine.PublishResult result)
    {
        var names = new List<string>();
        foreach (var id in result.DeliveryIds)
        {
            names.Add((await h.DeliveryAsync(id)).Automation.Name);
        }

        return [.. names.Order(StringComparer.Ordinal)];
    }

    private static Automations.Core.Domain.Events.ArtifactEvent AliasEvent(EngineHarness h, string alias, string[]? versionAliases = null)
        => new(
            "alias-" + alias,
            Automations.Core.Domain.Events.ArtifactEventType.AddArtifactAlias,
            ArtifactContainer.Project("acme", "vision"),
            "ds",
            new ArtifactVersion("101", "ds", "v1", versionAliases ?? ["latest"]),
            "alice",
            h.Time.GetUtcNow(),
            alias: alias);
}

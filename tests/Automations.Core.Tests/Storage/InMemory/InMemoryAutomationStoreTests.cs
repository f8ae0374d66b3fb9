using Automations.Core.Abstractions;
using Automations.Core.Domain;
using Automations.Core.Domain.Actions;
using Automations.Core.Domain.Artifacts;
using Automations.Core.Domain.Events;
using Automations.Core.Domain.Scopes;
using Automations.Core.Domain.Triggers;
using Automations.Core.Storage.InMemory;

namespace Automations.Core.Tests.Storage.InMemory;

public class InMemoryAutomationStoreTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Candidates_come_from_every_scope_that_sees_the_event()
    {
        var store = new InMemoryAutomationStore();
        var container = ArtifactContainer.Project("acme", "vision");
        await store.AddAsync(Make("entity", AutomationScope.ForEntity("acme")));
        await store.AddAsync(Make("project", AutomationScope.ForProject("acme", "vision")));
        await store.AddAsync(Make("collection", AutomationScope.ForCollection(container, "ds")));
        await store.AddAsync(Make("project-other-collection", AutomationScope.ForProject("acme", "vision"), collection: "other"));
        await store.AddAsync(Make("other-team", AutomationScope.ForEntity("zeta")));
        await store.AddAsync(Make("registry", AutomationScope.ForRegistry("acme", "vision")));
        await store.AddAsync(Make("alias-type", AutomationScope.ForProject("acme", "vision"), type: ArtifactEventType.AddArtifactAlias));
        await store.AddAsync(Make("disabled", AutomationScope.ForProject("acme", "vision"), enabled: false));

        var e = new ArtifactEvent("e", ArtifactEventType.LinkArtifact, container, "ds", new ArtifactVersion("1", "ds", "v0"), "alice", T0);
        var names = (await store.FindCandidatesAsync(e)).Select(a => a.Name).Order();

        Assert.Equal(["collection", "entity", "project"], names);
    }

    [Fact]
    public async Task Update_moves_the_automation_in_the_index_and_delete_removes_it()
    {
        var store = new InMemoryAutomationStore();
        var a = Make("a", AutomationScope.ForProject("acme", "vision"));
        await store.AddAsync(a);
        var moved = new Automation(a.Id, a.Name, new AutomationTrigger(ArtifactEventType.LinkArtifact, AutomationScope.ForProject("acme", "nlp")), NoOpAction.Instance, T0, T0);

        Assert.Equal(StoreWriteResult.Applied, await store.UpdateAsync(moved));
        Assert.Empty(store.FindCandidates(Event("vision")));
        Assert.Single(store.FindCandidates(Event("nlp")));

        Assert.True(await store.DeleteAsync(a.Id));
        Assert.False(await store.DeleteAsync(a.Id));
        Assert.Empty(store.FindCandidates(Event("nlp")));
        Assert.Null(await store.GetAsync(a.Id));
    }

    [Fact]
    public async Task Ids_and_names_per_scope_are_unique()
    {
        var store = new InMemoryAutomationStore();
        var scope = AutomationScope.ForProject("acme", "vision");
        var a = Make("a", scope);
        await store.AddAsync(a);

        Assert.Equal(StoreWriteResult.IdConflict, await store.AddAsync(a));
        Assert.Equal(StoreWriteResult.NameConflict, await store.AddAsync(Make("a", scope)));
        Assert.Equal(StoreWriteResult.Applied, await store.AddAsync(Make("a", AutomationScope.ForProject("acme", "nlp"))));
        var b = Make("b", scope);
        await store.AddAsync(b);
        var renamed = new Automation(b.Id, "a", b.Trigger, b.Action, T0, T0);
        Assert.Equal(StoreWriteResult.NameConflict, await store.UpdateAsync(renamed));
        Assert.Equal(StoreWriteResult.NotFound, await store.UpdateAsync(Make("zzz", scope)));
    }

    private static ArtifactEvent Event(string project)
        => new("e", ArtifactEventType.LinkArtifact, ArtifactContainer.Project("acme", project), "ds", new ArtifactVersion("1", "ds", "v0"), "alice", T0);

    private static Automation Make(string name, AutomationScope scope, string? collection = null, ArtifactEventType type = ArtifactEventType.LinkArtifact, bool enabled = true)
        => new("aut_" + Guid.NewGuid().ToString("N"), name, new AutomationTrigger(type, scope, collection: collection), NoOpAction.Instance, T0, T0, enabled: enabled);
}

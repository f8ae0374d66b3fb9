using System.Text.Json;
using Automations.Core.Abstractions;
using Automations.Core.Domain;
using Automations.Core.Domain.Actions;
using Automations.Core.Domain.Artifacts;
using Automations.Core.Domain.Events;
using Automations.Core.Domain.Filters;
using Automations.Core.Domain.Scopes;
using Automations.Core.Domain.Triggers;
using Automations.Core.Serialization;
using static Automations.Testing.StoreSamples;

namespace Automations.Testing;

/// <summary>
/// The semantics every <see cref="IAutomationStore"/> must honour: CRUD with faithful round trips, id and
/// per-scope name uniqueness, paging by name then id, and candidate lookup by scope, event type, collection and
/// enabled flag. Each store's tests derive a class and implement <see cref="CreateStore"/>.
/// </summary>
public abstract class AutomationStoreConformanceTests
{
    protected abstract IAutomationStore CreateStore();

    [Fact]
    public async Task Added_automation_round_trips_every_field()
    {
        var store = CreateStore();
        var trigger = new AutomationTrigger(
            ArtifactEventType.AddArtifactAlias,
            AutomationScope.ForProject("acme", "vision"),
            EventFilter.Parse("""{"$or":[{"$and":[{"alias":{"$regex":"^prod"}}]}]}"""),
            "ds");
        var action = new LaunchJobAction("acme/vision/job-train:latest", "gpu", "v2", JsonSerializer.SerializeToElement(new { lr = 0.01 }), ArtifactContainer.Project("acme", "runs"));
        var automation = new Automation("aut_1", "promote", trigger, action, T0, T0.AddMinutes(5), "Train on promotion", enabled: false);

        Assert.Equal(StoreWriteResult.Applied, await store.AddAsync(automation));
        var loaded = (await store.GetAsync("aut_1"))!;

        Assert.Equal(AutomationJson.Serialize(automation), AutomationJson.Serialize(loaded));
        Assert.Equal(trigger.Filter, loaded.Trigger.Filter);
        Assert.Equal(T0.AddMinutes(5), loaded.UpdatedAt);
        Assert.Null(await store.GetAsync("missing"));
    }

    [Fact]
    public async Task Candidates_come_from_every_scope_that_sees_the_event()
    {
        var store = CreateStore();
        var container = ArtifactContainer.Project("acme", "vision");
        await store.AddAsync(Automation("entity", AutomationScope.ForEntity("acme")));
        await store.AddAsync(Automation("project", AutomationScope.ForProject("acme", "vision")));
        await store.AddAsync(Automation("collection", AutomationScope.ForCollection(container, "ds")));
        await store.AddAsync(Automation("project-this-collection", AutomationScope.ForProject("acme", "vision"), collection: "ds"));
        await store.AddAsync(Automation("project-other-collection", AutomationScope.ForProject("acme", "vision"), collection: "other"));
        await store.AddAsync(Automation("other-collection", AutomationScope.ForCollection(container, "other")));
        await store.AddAsync(Automation("other-team", AutomationScope.ForEntity("zeta")));
        await store.AddAsync(Automation("registry", AutomationScope.ForRegistry("acme", "vision")));
        await store.AddAsync(Automation("registry-collection", AutomationScope.ForCollection(ArtifactContainer.Registry("acme", "vision"), "ds")));
        await store.AddAsync(Automation("other-project", AutomationScope.ForProject("acme", "nlp")));
        await store.AddAsync(Automation("alias-type", AutomationScope.ForProject("acme", "vision"), type: ArtifactEventType.AddArtifactAlias));
        await store.AddAsync(Automation("disabled", AutomationScope.ForProject("acme", "vision"), enabled: false));

        var names = (await store.FindCandidatesAsync(Event("e"))).Select(a => a.Name).Order(StringComparer.Ordinal);

        Assert.Equal(["collection", "entity", "project", "project-this-collection"], names);
    }

    [Fact]
    public async Task Registry_events_see_registry_scopes_only()
    {
        var store = CreateStore();
        await store.AddAsync(Automation("project", AutomationScope.ForProject("acme", "vision")));
        await store.AddAsync(Automation("registry", AutomationScope.ForRegistry("acme", "vision")));

        var names = (await store.FindCandidatesAsync(Event("e", kind: ArtifactContainerKind.Registry))).Select(a => a.Name);

        Assert.Equal(["registry"], names);
    }

    [Fact]
    public async Task Enabling_and_disabling_moves_an_automation_in_and_out_of_the_candidates()
    {
        var store = CreateStore();
        var a = Automation("a", enabled: false);
        await store.AddAsync(a);
        Assert.Empty(await store.FindCandidatesAsync(Event("e")));

        await store.UpdateAsync(a.WithEnabled(true, T0.AddMinutes(1)));
        Assert.Single(await store.FindCandidatesAsync(Event("e")));

        await store.UpdateAsync(a.WithEnabled(false, T0.AddMinutes(2)));
        Assert.Empty(await store.FindCandidatesAsync(Event("e")));
    }

    [Fact]
    public async Task Update_moves_the_automation_in_the_index_and_delete_removes_it()
    {
        var store = CreateStore();
        var a = Automation("a", AutomationScope.ForProject("acme", "vision"));
        await store.AddAsync(a);
        var moved = new Automation(a.Id, a.Name, new AutomationTrigger(ArtifactEventType.LinkArtifact, AutomationScope.ForProject("acme", "nlp")), NoOpAction.Instance, T0, T0);

        Assert.Equal(StoreWriteResult.Applied, await store.UpdateAsync(moved));
        Assert.Empty(await store.FindCandidatesAsync(Event("e", project: "vision")));
        Assert.Single(await store.FindCandidatesAsync(Event("e", project: "nlp")));

        Assert.True(await store.DeleteAsync(a.Id));
        Assert.False(await store.DeleteAsync(a.Id));
        Assert.Empty(await store.FindCandidatesAsync(Event("e", project: "nlp")));
        Assert.Null(await store.GetAsync(a.Id));
    }

    [Fact]
    public async Task A_deleted_id_added_again_returns_the_new_content()
    {
        var store = CreateStore();
        await store.AddAsync(Automation("first", id: "aut_x"));
        Assert.Equal("first", (await store.GetAsync("aut_x"))!.Name);
        await store.DeleteAsync("aut_x");

        await store.AddAsync(Automation("second", id: "aut_x"));

        Assert.Equal("second", (await store.GetAsync("aut_x"))!.Name);
        Assert.Equal(["second"], (await store.FindCandidatesAsync(Event("e"))).Select(a => a.Name));
    }

    [Fact]
    public async Task Ids_and_names_per_scope_are_unique()
    {
        var store = CreateStore();
        var scope = AutomationScope.ForProject("acme", "vision");
        var a = Automation("a", scope);
        await store.AddAsync(a);

        Assert.Equal(StoreWriteResult.IdConflict, await store.AddAsync(a));
        Assert.Equal(StoreWriteResult.NameConflict, await store.AddAsync(Automation("a", scope)));
        Assert.Equal(StoreWriteResult.Applied, await store.AddAsync(Automation("a", AutomationScope.ForProject("acme", "nlp"))));
        Assert.Equal(StoreWriteResult.Applied, await store.AddAsync(Automation("a", AutomationScope.ForRegistry("acme", "vision"))));
        var b = Automation("b", scope);
        await store.AddAsync(b);
        var renamed = new Automation(b.Id, "a", b.Trigger, b.Action, T0, T0);
        Assert.Equal(StoreWriteResult.NameConflict, await store.UpdateAsync(renamed));
        Assert.Equal(StoreWriteResult.Applied, await store.UpdateAsync(new Automation(b.Id, "b", b.Trigger, b.Action, T0, T0, "same name, new description")));
        Assert.Equal(StoreWriteResult.NotFound, await store.UpdateAsync(Automation("zzz", scope)));
        Assert.Equal("b", (await store.GetAsync(b.Id))!.Name);
    }

    [Fact]
    public async Task A_team_is_listed_by_name_then_id_in_pages()
    {
        var store = CreateStore();
        foreach (var (name, id) in new[] { ("b", "aut_2"), ("a", "aut_9"), ("c", "aut_1"), ("b", "aut_0") })
        {
            var project = id == "aut_2" ? "nlp" : "vision";
            await store.AddAsync(Automation(name, AutomationScope.ForProject("acme", project), id: id));
        }

        await store.AddAsync(Automation("a", AutomationScope.ForEntity("zeta"), id: "aut_z"));

        var page1 = await store.ListAsync("acme", new PageRequest(3));
        var page2 = await store.ListAsync("acme", new PageRequest(3, page1.NextPageToken));

        Assert.Equal(["aut_9", "aut_0", "aut_2"], page1.Items.Select(a => a.Id));
        Assert.Equal(["aut_1"], page2.Items.Select(a => a.Id));
        Assert.Equal("c", page2.Items[0].Name);
        Assert.Null(page2.NextPageToken);
        Assert.Empty((await store.ListAsync("nobody", PageRequest.First)).Items);
        await Assert.ThrowsAsync<AutomationValidationException>(async () => await store.ListAsync("acme", new PageRequest(3, "%%%")));
    }
}

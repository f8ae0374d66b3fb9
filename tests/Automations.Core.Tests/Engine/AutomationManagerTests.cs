using System.Text.Json;
using Automations.Core.Abstractions;
using Automations.Core.Domain;
using Automations.Core.Domain.Actions;
using Automations.Core.Domain.Deliveries;
using Automations.Core.Engine;

namespace Automations.Core.Tests.Engine;

public class AutomationManagerTests
{
    [Fact]
    public async Task Create_assigns_an_id_and_lists_it_in_the_automations_view()
    {
        var h = new EngineHarness();
        var webhookLike = await h.CreateAsync("notify", EngineHarness.OnLink());
        var launch = await h.CreateAsync("train", EngineHarness.OnLink(), new LaunchJobAction("job-train", "gpu"));
        await h.Engine.PublishAsync(h.Link());
        await h.Worker.RunOnceAsync();

        var rows = (await h.Manager.ListAsync(h.Alice, "acme")).Items;

        Assert.StartsWith("aut_", webhookLike.Id, StringComparison.Ordinal);
        Assert.Equal(["notify", "train"], rows.Select(r => r.Name));
        var train = rows.Single(r => r.Id == launch.Id);
        Assert.Equal("LINK_ARTIFACT", train.EventType);
        Assert.Equal(ActionKinds.LaunchJob, train.ActionType);
        Assert.Equal("job-train", train.ActionName);
        Assert.Equal("gpu", train.Queue);
        Assert.Equal(ExecutionStatus.Succeeded, train.LastExecutionStatus);
        Assert.Equal(h.Time.GetUtcNow(), train.LastExecutionAt);
        Assert.Equal(string.Empty, rows.Single(r => r.Id == webhookLike.Id).Queue);
    }

    [Fact]
    public async Task List_pages_through_automations_in_name_order()
    {
        var h = new EngineHarness();
        foreach (var name in new[] { "c", "a", "e", "b", "d" })
        {
            await h.CreateAsync(name, EngineHarness.OnLink());
        }

        var names = new List<string>();
        string? token = null;
        do
        {
            var page = await h.Manager.ListAsync(h.Alice, "acme", new PageRequest(2, token));
            Assert.True(page.Items.Count <= 2);
            names.AddRange(page.Items.Select(r => r.Name));
            token = page.NextPageToken;
        }
        while (token is not null);

        Assert.Equal(["a", "b", "c", "d", "e"], names);
    }

    [Fact]
    public async Task Duplicate_name_in_a_scope_is_a_conflict_but_other_scopes_may_reuse_it()
    {
        var h = new EngineHarness();
        await h.CreateAsync("retrain", EngineHarness.OnLink());

        var ex = await Assert.ThrowsAsync<AutomationConflictException>(() => h.CreateAsync("retrain", EngineHarness.OnLink()));
        Assert.Contains("retrain", ex.Message, StringComparison.Ordinal);
        await h.CreateAsync("retrain", EngineHarness.OnLink(project: "nlp"));
        Assert.Equal(2, (await h.Manager.ListAsync(h.Alice, "acme")).Items.Count);
    }

    [Fact]
    public async Task Saving_reports_every_problem_at_once_and_saves_nothing()
    {
        var h = new EngineHarness();
        var badAction = new CustomAction(ScriptedHandler.KindName, JsonSerializer.SerializeToElement(new { other = 1 }));

        var ex = await Assert.ThrowsAsync<AutomationValidationException>(() =>
            h.Manager.CreateAsync(h.Alice, new AutomationDefinition(new string('n', 300), EngineHarness.OnLink(), badAction)));

        Assert.Equal(["name", "action.configuration.target"], ex.Problems.Select(p => p.Path));
        Assert.Empty((await h.Manager.ListAsync(h.Alice, "acme")).Items);
    }

    [Fact]
    public async Task Unknown_custom_kind_and_missing_queue_are_refused()
    {
        var h = new EngineHarness();
        var unknown = new CustomAction("acme.unknown", JsonSerializer.SerializeToElement(new { }));

        var ex1 = await Assert.ThrowsAsync<AutomationValidationException>(() => h.CreateAsync("x", EngineHarness.OnLink(), unknown));
        var ex2 = await Assert.ThrowsAsync<AutomationValidationException>(() => h.CreateAsync("y", EngineHarness.OnLink(), new LaunchJobAction("j", "no-such-queue")));

        Assert.Equal("action.kind", Assert.Single(ex1.Problems).Path);
        Assert.Equal("action.queue", Assert.Single(ex2.Problems).Path);
    }

    [Fact]
    public async Task Update_keeps_id_and_creation_time_and_refuses_moving_teams()
    {
        var h = new EngineHarness();
        var a = await h.CreateAsync("a", EngineHarness.OnLink());
        h.Time.Advance(TimeSpan.FromHours(1));

        var updated = await h.Manager.UpdateAsync(h.Alice, a.Id, new AutomationDefinition("a2", EngineHarness.OnLink(), NoOpAction.Instance, "now a no-op"));

        Assert.Equal(a.Id, updated.Id);
        Assert.Equal(a.CreatedAt, updated.CreatedAt);
        Assert.Equal(h.Time.GetUtcNow(), updated.UpdatedAt);
        Assert.Equal("a2", (await h.Manager.GetAsync(h.Alice, a.Id)).Name);

        var otherTeam = new Automations.Core.Domain.Triggers.AutomationTrigger(
            Automations.Core.Domain.Events.ArtifactEventType.LinkArtifact, Automations.Core.Domain.Scopes.AutomationScope.ForProject("other", "p"));
        await Assert.ThrowsAsync<AutomationValidationException>(() => h.Manager.UpdateAsync(h.Alice, a.Id, new AutomationDefinition("a3", otherTeam, NoOpAction.Instance)));
    }

    [Fact]
    public async Task Missing_automation_is_not_found()
    {
        var h = new EngineHarness();
        await Assert.ThrowsAsync<AutomationNotFoundException>(() => h.Manager.GetAsync(h.Alice, "aut_missing"));
        await Assert.ThrowsAsync<AutomationNotFoundException>(() => h.Manager.DeleteAsync(h.Alice, "aut_missing"));
        await Assert.ThrowsAsync<AutomationNotFoundException>(() => h.Manager.SetEnabledAsync(h.Alice, "", true));
    }

    [Fact]
    public async Task Refusal_names_the_permission_and_other_teams_look_like_nothing()
    {
        var h = new EngineHarness();
        var admin = new AutomationActor("admin");
        var viewer = new AutomationActor("viewer");
        var stranger = new AutomationActor("stranger");
        h.Roles.Grant("acme", "admin", TeamRole.Admin).Grant("acme", "viewer", TeamRole.Member).Grant("other", "stranger", TeamRole.Admin);

        var a = await h.Manager.CreateAsync(admin, new AutomationDefinition("a", EngineHarness.OnLink(), NoOpAction.Instance));

        var denied = await Assert.ThrowsAsync<AutomationAccessDeniedException>(() => h.Manager.DeleteAsync(viewer, a.Id));
        Assert.Equal(nameof(AutomationPermission.ManageAutomations), denied.Permission);
        Assert.Equal("a", (await h.Manager.GetAsync(viewer, a.Id)).Name);

        var hidden = await Assert.ThrowsAsync<AutomationNotFoundException>(() => h.Manager.GetAsync(stranger, a.Id));
        var missing = await Assert.ThrowsAsync<AutomationNotFoundException>(() => h.Manager.GetAsync(stranger, "aut_missing"));
        Assert.Equal(missing.Message, hidden.Message);
        await Assert.ThrowsAsync<AutomationAccessDeniedException>(() => h.Manager.ListAsync(stranger, "acme"));
        await Assert.ThrowsAsync<AutomationAccessDeniedException>(() =>
            h.Manager.CreateAsync(viewer, new AutomationDefinition("b", EngineHarness.OnLink(), NoOpAction.Instance)));
        Assert.Single((await h.Manager.ListAsync(admin, "acme")).Items);
    }

    [Fact]
    public async Task History_is_newest_first_and_paged()
    {
        var h = new EngineHarness();
        var a = await h.CreateAsync("a", EngineHarness.OnLink());
        for (var i = 0; i < 3; i++)
        {
            await h.Engine.PublishAsync(h.Link());
            h.Time.Advance(TimeSpan.FromSeconds(1));
            await h.Worker.RunOnceAsync();
        }

        var first = await h.Manager.GetHistoryAsync(h.Alice, a.Id, new PageRequest(4));
        var second = await h.Manager.GetHistoryAsync(h.Alice, a.Id, new PageRequest(4, first.NextPageToken));
        var all = first.Items.Concat(second.Items).ToList();

        Assert.Equal(6, all.Count);
        Assert.Null(second.NextPageToken);
        Assert.Equal(all.OrderByDescending(r => r.At).Select(r => r.At), all.Select(r => r.At));
        Assert.Equal(ExecutionStatus.Succeeded, all[0].Status);
        Assert.Equal("scripted", all[0].Target);
    }

    [Fact]
    public async Task Malformed_page_token_is_a_validation_error()
    {
        var h = new EngineHarness();
        await h.CreateAsync("a", EngineHarness.OnLink());
        var ex = await Assert.ThrowsAsync<AutomationValidationException>(() => h.Manager.ListAsync(h.Alice, "acme", new PageRequest(10, "%%%")));
        Assert.Equal("pageToken", Assert.Single(ex.Problems).Path);
    }

    [Fact]
    public async Task List_view_names_a_webhook_action_by_its_integration()
    {
        var h = new EngineHarness();
        var integrations = new Automations.Core.Storage.InMemory.InMemoryIntegrationStore();
        var integration = Automations.Core.Domain.Integrations.WebhookIntegration.Create("whk_1", "acme", "ci hook", "https://hooks.example.com/ci");
        await integrations.AddAsync(integration);
        var manager = new AutomationManager(h.Automations, h.Deliveries, h.History, new Automations.Core.Authorization.RoleBasedAuthorizer(h.Roles), [new NoOpHandlerForKind(ActionKinds.Webhook)], h.Time, integrations);

        await manager.CreateAsync(h.Alice, new AutomationDefinition("notify", EngineHarness.OnLink(), new WebhookAction("whk_1", "{}")));

        var row = Assert.Single((await manager.ListAsync(h.Alice, "acme")).Items);
        Assert.Equal("ci hook", row.ActionName);
        Assert.Equal(ActionKinds.Webhook, row.ActionType);
    }

    private sealed class NoOpHandlerForKind(string kind) : IActionHandler
    {
        public string Kind => kind;

        public ValueTask ValidateAsync(AutomationAction action, Automations.Core.Domain.Triggers.AutomationTrigger trigger, ValidationProblemCollector problems, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

        public string? GetConcurrencyKey(Delivery delivery) => null;

        public ValueTask<ActionResult> ExecuteAsync(DeliveryLease lease, CancellationToken cancellationToken = default) => ValueTask.FromResult(ActionResult.Success());
    }
}

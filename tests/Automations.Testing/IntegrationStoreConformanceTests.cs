using Automations.Core.Abstractions;
using Automations.Core.Domain.Integrations;
using Automations.Core.Http;
using Automations.Core.Signing;
using Automations.Core.Domain.Endpoints;

namespace Automations.Testing;

/// <summary>
/// The semantics every <see cref="IIntegrationStore"/> must honour: faithful round trips of every field, unique ids,
/// names unique per team (ordinal), updates by id, a team's list ordered by name (ordinal), and not-found answers.
/// Each store's tests derive a class and implement <see cref="CreateStore"/> (a fresh, empty store per call).
/// </summary>
public abstract class IntegrationStoreConformanceTests
{
    private static readonly EndpointPolicy Development = new(new EndpointPolicyOptions { AllowLoopback = true });

    protected abstract IIntegrationStore CreateStore();

    protected static WebhookIntegration Integration(string id, string entity, string name, string url = "https://ci.example.com/hooks/wandb")
        => WebhookIntegration.Create(id, entity, name, url);

    [Fact]
    public async Task Added_integrations_round_trip_every_field()
    {
        var store = CreateStore();
        var full = WebhookIntegration.Create(
            "int_1", "acme", "github dispatch", "https://api.github.com/repos/acme/vision/dispatches?x=1&y=%C3%A9",
            signingSecretName: "WEBHOOK_SECRET", accessTokenSecretName: "GITHUB_TOKEN",
            signingScheme: WebhookSigningScheme.Wandb | WebhookSigningScheme.StandardWebhooks);
        var bare = Integration("int_2", "acme", "plain");
        var disabled = WebhookIntegration.Create("int_3", "acme", "gone", "https://gone.example.com/h", signingSecretName: "S", signingScheme: WebhookSigningScheme.StandardWebhooks)
            .Disable("The endpoint answered 410 Gone on 2026-11-27.");

        // Saved under a development policy (loopback allowed): the store must still read it back.
        var local = WebhookIntegration.Create("int_4", "acme", "local", "http://127.0.0.1:8080/hooks", endpointPolicy: Development);

        // Failing since a given time (the clock that disables an endpoint failing for days).
        var failing = Integration("int_5", "acme", "failing").WithFailure(new DateTimeOffset(2026, 11, 20, 8, 30, 0, TimeSpan.Zero));

        foreach (var integration in new[] { full, bare, disabled, local, failing })
        {
            Assert.Equal(StoreWriteResult.Applied, await store.AddAsync(integration));
        }

        foreach (var integration in new[] { full, bare, disabled, local, failing })
        {
            var got = await store.GetAsync(integration.Id);
            Assert.Equal(integration, got);
            Assert.Equal(integration.Url.OriginalString, got!.Url.OriginalString);
        }

        var gone = (await store.GetAsync("int_3"))!;
        Assert.False(gone.IsEnabled);
        Assert.Equal("The endpoint answered 410 Gone on 2026-11-27.", gone.DisabledReason);
        Assert.Equal(WebhookSigningScheme.Wandb | WebhookSigningScheme.StandardWebhooks, (await store.GetAsync("int_1"))!.SigningScheme);
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 8, 30, 0, TimeSpan.Zero), (await store.GetAsync("int_5"))!.FailingSince);
        Assert.Null((await store.GetAsync("int_1"))!.FailingSince);
        Assert.Null(await store.GetAsync("missing"));
    }

    [Fact]
    public async Task Ids_are_unique_and_names_unique_per_team()
    {
        var store = CreateStore();
        Assert.Equal(StoreWriteResult.Applied, await store.AddAsync(Integration("i1", "acme", "ci")));

        Assert.Equal(StoreWriteResult.IdConflict, await store.AddAsync(Integration("i1", "acme", "other")));
        Assert.Equal(StoreWriteResult.IdConflict, await store.AddAsync(Integration("i1", "globex", "ci")));
        Assert.Equal(StoreWriteResult.NameConflict, await store.AddAsync(Integration("i2", "acme", "ci")));
        Assert.Equal(StoreWriteResult.Applied, await store.AddAsync(Integration("i3", "globex", "ci")));
        Assert.Equal(StoreWriteResult.Applied, await store.AddAsync(Integration("i4", "acme", "CI")));

        Assert.Null(await store.GetAsync("i2"));
        Assert.Equal("acme", (await store.GetAsync("i1"))!.EntityName);
    }

    [Fact]
    public async Task Update_replaces_by_id_and_checks_the_name()
    {
        var store = CreateStore();
        await store.AddAsync(Integration("i1", "acme", "ci"));
        await store.AddAsync(Integration("i2", "acme", "alerts"));

        Assert.Equal(StoreWriteResult.NameConflict, await store.UpdateAsync(Integration("i1", "acme", "alerts")));
        Assert.Equal("ci", (await store.GetAsync("i1"))!.Name);

        var renamed = WebhookIntegration.Create("i1", "acme", "deploy", "https://deploy.example.com/hook", signingSecretName: "SIGNING");
        Assert.Equal(StoreWriteResult.Applied, await store.UpdateAsync(renamed));
        Assert.Equal(renamed, await store.GetAsync("i1"));

        var disabled = renamed.Disable("failing for 5 days");
        Assert.Equal(StoreWriteResult.Applied, await store.UpdateAsync(disabled));
        Assert.Equal("failing for 5 days", (await store.GetAsync("i1"))!.DisabledReason);
        Assert.Equal(StoreWriteResult.Applied, await store.UpdateAsync(disabled.Enable()));
        Assert.True((await store.GetAsync("i1"))!.IsEnabled);
        Assert.Null((await store.GetAsync("i1"))!.DisabledReason);

        Assert.Equal(StoreWriteResult.NotFound, await store.UpdateAsync(Integration("i9", "acme", "nobody")));
        Assert.Null(await store.GetAsync("i9"));

        // The old name is free again.
        Assert.Equal(StoreWriteResult.Applied, await store.AddAsync(Integration("i3", "acme", "ci")));
    }

    [Fact]
    public async Task A_team_list_is_ordered_by_name_ordinal_and_holds_that_team_only()
    {
        var store = CreateStore();
        foreach (var (id, name) in new[] { ("i1", "b"), ("i2", "Z"), ("i3", "a"), ("i4", "B-2"), ("i5", "A"), ("i6", "b 2") })
        {
            await store.AddAsync(Integration(id, "acme", name));
        }

        await store.AddAsync(Integration("g1", "globex", "0-first"));

        Assert.Equal(["A", "B-2", "Z", "a", "b", "b 2"], (await store.ListAsync("acme")).Select(i => i.Name));
        Assert.Equal(["g1"], (await store.ListAsync("globex")).Select(i => i.Id));
        Assert.Empty(await store.ListAsync("initech"));
        Assert.Empty(await store.ListAsync("ACME"));
    }

    [Fact]
    public async Task Delete_removes_once_and_frees_the_name()
    {
        var store = CreateStore();
        await store.AddAsync(Integration("i1", "acme", "ci"));

        Assert.True(await store.DeleteAsync("i1"));
        Assert.False(await store.DeleteAsync("i1"));
        Assert.False(await store.DeleteAsync("never"));
        Assert.Null(await store.GetAsync("i1"));
        Assert.Empty(await store.ListAsync("acme"));
        Assert.Equal(StoreWriteResult.Applied, await store.AddAsync(Integration("i2", "acme", "ci")));
        Assert.Equal(StoreWriteResult.Applied, await store.AddAsync(Integration("i1", "acme", "ci again")));
    }
}

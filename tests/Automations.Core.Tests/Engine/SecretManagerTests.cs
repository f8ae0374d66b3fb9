using System.Text;
using Automations.Core.Abstractions;
using Automations.Core.Authorization;
using Automations.Core.Domain;
using Automations.Core.Domain.Actions;
using Automations.Core.Domain.Secrets;
using Automations.Core.Engine;
using Automations.Core.Secrets;
using Automations.Core.Storage.InMemory;
using Automations.Core.Tests.Secrets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Automations.Core.Tests.Engine;

public class SecretManagerTests
{
    private const string Value = "ghp_VALUE-never-shown-1234";
    private static readonly Uri Hook = new("http://127.0.0.1:9/hook");

    private static ISecretResolver Resolver(SecretsTestHost host) => host.Services.GetRequiredService<ISecretResolver>();

    [Fact]
    public async Task Create_stores_ciphertext_only_and_lists_names_never_values()
    {
        await using var host = SecretsTestHost.Create();

        var info = await host.Secrets.CreateAsync(SecretsTestHost.Ada, "acme", "GITHUB_TOKEN", Value);
        await host.Secrets.CreateAsync(SecretsTestHost.Ada, "acme", "A_FIRST", "x");

        Assert.StartsWith("sec_", info.Id, StringComparison.Ordinal);
        Assert.Equal("ephemeral", info.KeyId);
        Assert.Equal(SecretsTestHost.Start, info.CreatedAt);
        Assert.Equal(["A_FIRST", "GITHUB_TOKEN"], (await host.Secrets.ListAsync(SecretsTestHost.Ada, "acme")).Select(s => s.Name));
        Assert.DoesNotContain(Value, info.ToString(), StringComparison.Ordinal);

        var record = await host.SecretStore.FindByNameAsync("acme", "GITHUB_TOKEN");
        Assert.NotNull(record);
        Assert.Equal(-1, record.Value.Data.Span.IndexOf(Encoding.UTF8.GetBytes(Value)));
        Assert.Equal(Value, await Resolver(host).GetSecretAsync("acme", "GITHUB_TOKEN"));
        Assert.Equal(info, await host.Secrets.GetAsync(SecretsTestHost.Ada, "acme", "GITHUB_TOKEN"));
    }

    [Fact]
    public async Task Invalid_input_lists_every_problem_and_never_the_value()
    {
        await using var host = SecretsTestHost.Create();
        var huge = "Z" + new string('q', SecretManager.MaxValueLength);

        var ex = await Assert.ThrowsAsync<AutomationValidationException>(() => host.Secrets.CreateAsync(SecretsTestHost.Ada, "acme", "bad-name", huge));
        Assert.Equal(["name", "value"], ex.Problems.Select(p => p.Path));
        Assert.DoesNotContain("qqqq", ex.ToString(), StringComparison.Ordinal);

        var empty = await Assert.ThrowsAsync<AutomationValidationException>(() => host.Secrets.CreateAsync(SecretsTestHost.Ada, "acme", "OK", ""));
        Assert.Equal("value", Assert.Single(empty.Problems).Path);
        Assert.Empty(await host.Secrets.ListAsync(SecretsTestHost.Ada, "acme"));
    }

    [Theory]
    [InlineData("alias")]          // a template variable: ${alias} is never a secret
    [InlineData("event_typo")]     // a reserved prefix
    [InlineData("aliass")]         // read as a typo of ${alias}
    public async Task Names_a_template_could_not_refer_to_are_refused(string name)
    {
        await using var host = SecretsTestHost.Create();

        var ex = await Assert.ThrowsAsync<AutomationValidationException>(() => host.Secrets.CreateAsync(SecretsTestHost.Ada, "acme", name, Value));

        Assert.Equal("name", Assert.Single(ex.Problems).Path);
    }

    [Fact]
    public async Task Names_are_unique_per_team_only()
    {
        await using var host = SecretsTestHost.Create();
        await host.Secrets.CreateAsync(SecretsTestHost.Ada, "acme", "TOKEN", "acme-value");

        await Assert.ThrowsAsync<AutomationConflictException>(() => host.Secrets.CreateAsync(SecretsTestHost.Ada, "acme", "TOKEN", "other"));
        await host.Secrets.CreateAsync(SecretsTestHost.Otto, "globex", "TOKEN", "globex-value");

        Assert.Equal("acme-value", await Resolver(host).GetSecretAsync("acme", "TOKEN"));
        Assert.Equal("globex-value", await Resolver(host).GetSecretAsync("globex", "TOKEN"));
    }

    [Fact]
    public async Task Replace_value_with_a_grace_period_keeps_the_previous_value_signing_until_it_expires()
    {
        await using var host = SecretsTestHost.Create();
        await host.Secrets.CreateAsync(SecretsTestHost.Ada, "acme", "HOOK", "old-value");
        host.Time.Advance(TimeSpan.FromMinutes(1));

        var info = await host.Secrets.ReplaceValueAsync(SecretsTestHost.Ada, "acme", "HOOK", "new-value", TimeSpan.FromHours(2));

        Assert.Equal(SecretsTestHost.Start.AddMinutes(1).AddHours(2), info.PreviousValueExpiresAt);
        Assert.Equal(SecretsTestHost.Start.AddMinutes(1), info.UpdatedAt);
        Assert.Equal("new-value", await Resolver(host).GetSecretAsync("acme", "HOOK"));
        Assert.Equal(["new-value", "old-value"], await Resolver(host).GetSigningSecretsAsync("acme", "HOOK"));

        host.Time.Advance(TimeSpan.FromHours(2));
        Assert.Equal(["new-value"], await Resolver(host).GetSigningSecretsAsync("acme", "HOOK"));
        Assert.Null((await host.Secrets.GetAsync(SecretsTestHost.Ada, "acme", "HOOK")).PreviousValueExpiresAt);
    }

    [Fact]
    public async Task Replace_value_uses_the_configured_default_grace_and_refuses_bad_ones()
    {
        await using var host = SecretsTestHost.Create(o => o.RotationGracePeriod = TimeSpan.FromHours(1));
        await host.Secrets.CreateAsync(SecretsTestHost.Ada, "acme", "HOOK", "v1");

        var info = await host.Secrets.ReplaceValueAsync(SecretsTestHost.Ada, "acme", "HOOK", "v2");
        Assert.Equal(SecretsTestHost.Start.AddHours(1), info.PreviousValueExpiresAt);

        var none = await host.Secrets.ReplaceValueAsync(SecretsTestHost.Ada, "acme", "HOOK", "v3", TimeSpan.Zero);
        Assert.Null(none.PreviousValueExpiresAt);
        Assert.Equal(["v3"], await Resolver(host).GetSigningSecretsAsync("acme", "HOOK"));

        var ex = await Assert.ThrowsAsync<AutomationValidationException>(() => host.Secrets.ReplaceValueAsync(SecretsTestHost.Ada, "acme", "HOOK", "v4", TimeSpan.FromDays(31)));
        Assert.Equal("keepPreviousFor", Assert.Single(ex.Problems).Path);
        await Assert.ThrowsAsync<AutomationNotFoundException>(() => host.Secrets.ReplaceValueAsync(SecretsTestHost.Ada, "acme", "MISSING", "v"));
    }

    [Fact]
    public async Task Rename_keeps_the_id_and_the_value_and_frees_the_old_name()
    {
        await using var host = SecretsTestHost.Create();
        var created = await host.Secrets.CreateAsync(SecretsTestHost.Ada, "acme", "OLD", Value);
        await host.Secrets.CreateAsync(SecretsTestHost.Ada, "acme", "TAKEN", "x");

        var renamed = await host.Secrets.RenameAsync(SecretsTestHost.Ada, "acme", "OLD", "NEW");

        Assert.Equal(created.Id, renamed.Id);
        Assert.Equal(Value, await Resolver(host).GetSecretAsync("acme", "NEW"));
        Assert.Null(await Resolver(host).GetSecretAsync("acme", "OLD"));
        await Assert.ThrowsAsync<AutomationConflictException>(() => host.Secrets.RenameAsync(SecretsTestHost.Ada, "acme", "NEW", "TAKEN"));
        await Assert.ThrowsAsync<AutomationValidationException>(() => host.Secrets.RenameAsync(SecretsTestHost.Ada, "acme", "NEW", "no spaces"));
        await Assert.ThrowsAsync<AutomationNotFoundException>(() => host.Secrets.RenameAsync(SecretsTestHost.Ada, "acme", "OLD", "OTHER"));
    }

    [Fact]
    public async Task Delete_of_a_secret_in_use_is_refused_with_every_user_unless_forced()
    {
        await using var host = SecretsTestHost.Create();
        await host.Secrets.CreateAsync(SecretsTestHost.Ada, "acme", "SHARED", "whatever-1");
        var integration = await host.CreateIntegrationAsync(Hook, signing: "SHARED", token: "SHARED");
        var automation = await host.CreateWebhookAutomationAsync(integration.Id, """{"key": "${SHARED}", "v": "${artifact_version_string}"}""");
        var notify = await host.Automations.CreateAsync(SecretsTestHost.Ada, new AutomationDefinition(
            "notify", EngineHarness.OnLink(), new NotificationAction(integration.Id, "New ${SHARED} version", "see ${artifact_version_string}")));

        var refused = await Assert.ThrowsAsync<SecretInUseException>(() => host.Secrets.DeleteAsync(SecretsTestHost.Ada, "acme", "SHARED"));

        Assert.Equal(
            [
                new SecretUsage(SecretUsageKind.Integration, integration.Id, "ci hook", "signingSecretName"),
                new SecretUsage(SecretUsageKind.Integration, integration.Id, "ci hook", "accessTokenSecretName"),
                new SecretUsage(SecretUsageKind.Automation, automation.Id, "deploy", "payloadTemplate"),
                new SecretUsage(SecretUsageKind.Automation, notify.Id, "notify", "message"),
            ],
            refused.Usages);
        Assert.Contains("integration 'ci hook' (signingSecretName)", refused.Message, StringComparison.Ordinal);
        Assert.Contains("automation 'deploy' (payloadTemplate)", refused.Message, StringComparison.Ordinal);
        Assert.NotNull(await Resolver(host).GetSecretAsync("acme", "SHARED"));

        var renameRefused = await Assert.ThrowsAsync<SecretInUseException>(() => host.Secrets.RenameAsync(SecretsTestHost.Ada, "acme", "SHARED", "OTHER"));
        Assert.Equal(4, renameRefused.Usages.Count);

        var broken = await host.Secrets.DeleteAsync(SecretsTestHost.Ada, "acme", "SHARED", force: true);

        Assert.Equal(refused.Usages, broken);
        Assert.Null(await Resolver(host).GetSecretAsync("acme", "SHARED"));
        Assert.Equal(4, (await host.Secrets.FindUsagesAsync(SecretsTestHost.Ada, "acme", "SHARED")).Count);
        await Assert.ThrowsAsync<AutomationNotFoundException>(() => host.Secrets.DeleteAsync(SecretsTestHost.Ada, "acme", "SHARED"));
    }

    [Fact]
    public async Task An_unused_secret_deletes_and_a_same_named_secret_of_another_team_does_not_count()
    {
        await using var host = SecretsTestHost.Create();
        await host.Secrets.CreateAsync(SecretsTestHost.Ada, "acme", "TOKEN", "a");
        await host.Secrets.CreateAsync(SecretsTestHost.Otto, "globex", "TOKEN", "g");
        await host.CreateIntegrationAsync(Hook, token: "TOKEN", entity: "globex");

        Assert.Empty(await host.Secrets.DeleteAsync(SecretsTestHost.Ada, "acme", "TOKEN"));
        Assert.Equal("g", await Resolver(host).GetSecretAsync("globex", "TOKEN"));
    }

    [Fact]
    public async Task Cross_team_access_is_refused_naming_the_permission_and_nothing_changes()
    {
        await using var host = SecretsTestHost.Create();
        await host.Secrets.CreateAsync(SecretsTestHost.Ada, "acme", "TOKEN", Value);
        var otto = SecretsTestHost.Otto;

        var denials = new List<AutomationAccessDeniedException>
        {
            await Assert.ThrowsAsync<AutomationAccessDeniedException>(() => host.Secrets.ListAsync(otto, "acme")),
            await Assert.ThrowsAsync<AutomationAccessDeniedException>(() => host.Secrets.GetAsync(otto, "acme", "TOKEN")),
            await Assert.ThrowsAsync<AutomationAccessDeniedException>(() => host.Secrets.GetAsync(otto, "acme", "NO_SUCH")),
            await Assert.ThrowsAsync<AutomationAccessDeniedException>(() => host.Secrets.CreateAsync(otto, "acme", "MINE", "x")),
            await Assert.ThrowsAsync<AutomationAccessDeniedException>(() => host.Secrets.ReplaceValueAsync(otto, "acme", "TOKEN", "hijack")),
            await Assert.ThrowsAsync<AutomationAccessDeniedException>(() => host.Secrets.RenameAsync(otto, "acme", "TOKEN", "X")),
            await Assert.ThrowsAsync<AutomationAccessDeniedException>(() => host.Secrets.DeleteAsync(otto, "acme", "TOKEN", force: true)),
            await Assert.ThrowsAsync<AutomationAccessDeniedException>(() => host.Secrets.FindUsagesAsync(otto, "acme", "TOKEN")),
            await Assert.ThrowsAsync<AutomationAccessDeniedException>(() => host.Secrets.ReprotectAsync(otto, "acme")),
        };

        Assert.All(denials, d => Assert.Equal(nameof(AutomationPermission.ManageSecrets), d.Permission));
        Assert.Single(denials.Select(d => d.Message).Distinct());
        Assert.Equal(Value, await Resolver(host).GetSecretAsync("acme", "TOKEN"));
        Assert.Single(await host.Secrets.ListAsync(SecretsTestHost.Ada, "acme"));
    }

    [Fact]
    public async Task An_automation_cannot_use_another_teams_secret_or_integration()
    {
        await using var host = SecretsTestHost.Create();
        await host.Secrets.CreateAsync(SecretsTestHost.Otto, "globex", "GLOBEX_ONLY", "g");
        var globexHook = await host.CreateIntegrationAsync(Hook, entity: "globex", name: "globex hook");
        var acmeHook = await host.CreateIntegrationAsync(Hook);

        var secret = await Assert.ThrowsAsync<AutomationValidationException>(() => host.CreateWebhookAutomationAsync(acmeHook.Id, """{"k": "${GLOBEX_ONLY}"}"""));
        Assert.Contains(secret.Problems, p => p.Message.Contains("GLOBEX_ONLY", StringComparison.Ordinal));

        var integration = await Assert.ThrowsAsync<AutomationValidationException>(() => host.CreateWebhookAutomationAsync(globexHook.Id, """{"k": 1}"""));
        Assert.Contains(integration.Problems, p => p.Path == "action.integrationId");

        var signing = await Assert.ThrowsAsync<AutomationValidationException>(() => host.CreateIntegrationAsync(Hook, signing: "GLOBEX_ONLY", name: "sneaky"));
        Assert.Contains(signing.Problems, p => p.Path == "signingSecretName");
    }

    [Fact]
    public async Task Reprotect_moves_old_key_values_to_the_current_key_so_the_old_key_can_retire()
    {
        var time = new FakeTimeProvider(SecretsTestHost.Start);
        var store = new InMemorySecretStore();
        var integrations = new InMemoryIntegrationStore();
        var automations = new InMemoryAutomationStore();
        var authorizer = new RoleBasedAuthorizer(new InMemoryTeamRoleProvider().Grant("acme", "ada", TeamRole.Admin));
        SecretManager Manager(SecretKeyRing ring) => new(store, new AesGcmSecretProtector(ring), integrations, automations, authorizer, timeProvider: time);
        var ada = SecretsTestHost.Ada;

        var v1 = Manager(AesGcmSecretProtectorTests.Ring("k1"));
        await v1.CreateAsync(ada, "acme", "A", "value-a");
        await v1.CreateAsync(ada, "acme", "B", "value-b-old");
        await v1.ReplaceValueAsync(ada, "acme", "B", "value-b", TimeSpan.FromHours(1));
        var lost = await Manager(AesGcmSecretProtectorTests.Ring("k0")).CreateAsync(ada, "acme", "LOST", "gone");

        var v2 = Manager(AesGcmSecretProtectorTests.Ring("k2", "k1", "k2"));
        await v2.CreateAsync(ada, "acme", "C", "value-c");
        var result = await v2.ReprotectAsync(ada, "acme");

        Assert.Equal(2, result.Reprotected);
        Assert.Equal(["LOST"], result.Undecryptable);
        Assert.All(await v2.ListAsync(ada, "acme"), s => Assert.Equal(s.Name == "LOST" ? "k0" : "k2", s.KeyId));
        Assert.Equal("k0", lost.KeyId);

        var resolver = new EncryptedSecretResolver(store, new AesGcmSecretProtector(AesGcmSecretProtectorTests.Ring("k2")), time);
        Assert.Equal("value-a", await resolver.GetSecretAsync("acme", "A"));
        Assert.Equal(["value-b", "value-b-old"], await ((ISecretResolver)resolver).GetSigningSecretsAsync("acme", "B"));
        Assert.Equal("value-c", await resolver.GetSecretAsync("acme", "C"));
        Assert.Equal(0, (await v2.ReprotectAsync(ada, "acme")).Reprotected);
    }

    [Fact]
    public async Task A_concurrent_change_is_a_conflict_and_is_not_overwritten()
    {
        var time = new FakeTimeProvider(SecretsTestHost.Start);
        var store = new RacingStore();
        var protector = new AesGcmSecretProtector(AesGcmSecretProtectorTests.Ring());
        var authorizer = new RoleBasedAuthorizer(new InMemoryTeamRoleProvider().Grant("acme", "ada", TeamRole.Admin));
        var manager = new SecretManager(store, protector, new InMemoryIntegrationStore(), new InMemoryAutomationStore(), authorizer, timeProvider: time);
        await manager.CreateAsync(SecretsTestHost.Ada, "acme", "HOOK", "v1");

        // Another writer renames the secret between our read and our write.
        store.BeforeNextUpdate = async () =>
        {
            var current = (await store.FindByNameAsync("acme", "HOOK"))!;
            await store.UpdateAsync(current.WithName("RENAMED", time.GetUtcNow()));
        };

        var ex = await Assert.ThrowsAsync<AutomationConflictException>(() => manager.ReplaceValueAsync(SecretsTestHost.Ada, "acme", "HOOK", "v2"));

        Assert.Contains("changed by someone else", ex.Message, StringComparison.Ordinal);
        var stored = (await store.FindByNameAsync("acme", "RENAMED"))!;
        Assert.Equal("v1", protector.Unprotect(stored.Value, new("acme", stored.Id)));
    }

    [Fact]
    public async Task Changes_are_audited_in_the_log_by_name_and_user_never_by_value()
    {
        await using var host = SecretsTestHost.Create();
        await host.Secrets.CreateAsync(SecretsTestHost.Ada, "acme", "AUDITED", Value);
        await host.Secrets.ReplaceValueAsync(SecretsTestHost.Ada, "acme", "AUDITED", Value + "-2", TimeSpan.FromHours(1));
        await host.Secrets.DeleteAsync(SecretsTestHost.Ada, "acme", "AUDITED");

        var log = host.Logs.All;
        Assert.Contains("Secret AUDITED created in team acme by ada", log, StringComparison.Ordinal);
        Assert.Contains("keeps signing until", log, StringComparison.Ordinal);
        Assert.Contains("Secret AUDITED of team acme deleted by ada", log, StringComparison.Ordinal);
        Assert.DoesNotContain(Value, log, StringComparison.Ordinal);
    }

    /// <summary>An in-memory store that lets a test act just before the next update lands.</summary>
    private sealed class RacingStore : ISecretStore
    {
        private readonly InMemorySecretStore _inner = new();

        public Func<Task>? BeforeNextUpdate { get; set; }

        public ValueTask<StoreWriteResult> AddAsync(SecretRecord secret, CancellationToken cancellationToken = default) => _inner.AddAsync(secret, cancellationToken);

        public async ValueTask<StoreWriteResult> UpdateAsync(SecretRecord secret, CancellationToken cancellationToken = default)
        {
            if (BeforeNextUpdate is { } race)
            {
                BeforeNextUpdate = null;
                await race();
            }

            return await _inner.UpdateAsync(secret, cancellationToken);
        }

        public ValueTask<bool> DeleteAsync(string id, CancellationToken cancellationToken = default) => _inner.DeleteAsync(id, cancellationToken);

        public ValueTask<SecretRecord?> GetAsync(string id, CancellationToken cancellationToken = default) => _inner.GetAsync(id, cancellationToken);

        public ValueTask<SecretRecord?> FindByNameAsync(string entity, string name, CancellationToken cancellationToken = default) => _inner.FindByNameAsync(entity, name, cancellationToken);

        public ValueTask<IReadOnlyList<SecretRecord>> ListAsync(string entity, CancellationToken cancellationToken = default) => _inner.ListAsync(entity, cancellationToken);
    }
}

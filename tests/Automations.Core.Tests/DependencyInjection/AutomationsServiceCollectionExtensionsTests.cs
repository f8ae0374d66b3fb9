using Automations.Core.Abstractions;
using Automations.Core.Engine;
using Automations.Core.Storage.InMemory;
using Automations.Core.Tests.Engine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Automations.Core.Tests.DependencyInjection;

public class AutomationsServiceCollectionExtensionsTests
{
    [Fact]
    public void Registers_the_engine_with_in_memory_stores_and_is_harmless_twice()
    {
        var services = new ServiceCollection();
        services.AddAutomations();
        services.AddAutomations().AddActionHandler<ScriptedHandler>().AddActionHandler<ScriptedHandler>();
        using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        Assert.IsType<InMemoryAutomationStore>(provider.GetRequiredService<IAutomationStore>());
        Assert.NotNull(provider.GetRequiredService<AutomationEngine>());
        Assert.NotNull(provider.GetRequiredService<DeliveryWorker>());
        Assert.NotNull(provider.GetRequiredService<AutomationManager>());
        Assert.Single(provider.GetServices<IHostedService>());
        var kinds = provider.GetServices<IActionHandler>().Select(h => h.Kind).ToList();
        Assert.Equal(kinds.Count, kinds.Distinct().Count());
        Assert.Contains(ScriptedHandler.KindName, kinds);
        Assert.Contains("QUEUE_JOB", kinds);
    }

    [Fact]
    public void Invalid_options_fail_validation_with_every_problem()
    {
        var services = new ServiceCollection();
        services.AddAutomations(o => { o.MaxConcurrency = 0; o.RetryJitter = 2; });
        using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<AutomationEngineOptions>>().Value);
        Assert.Equal(2, ex.Failures.Count());
    }

    [Fact]
    public async Task Host_start_validates_options_on_start()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddAutomations(o => o.LeaseDuration = TimeSpan.Zero);
        using var host = builder.Build();

        await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
    }

    [Fact]
    public async Task Host_supplied_launch_queue_is_used_by_the_engine()
    {
        var queue = new InMemoryLaunchQueue();
        queue.CreateQueue("acme", "gpu");
        var services = new ServiceCollection();
        services.AddAutomations().AddLaunchQueue(queue).AddTeamRoles(r => r.Grant("acme", "alice", TeamRole.Admin));
        using var provider = services.BuildServiceProvider();
        var manager = provider.GetRequiredService<AutomationManager>();

        var automation = await manager.CreateAsync(new AutomationActor("alice"), new AutomationDefinition("train", EngineHarness.OnLink(), new Automations.Core.Domain.Actions.LaunchJobAction("job", "gpu")));

        Assert.Equal("gpu", automation.Action.Queue);
    }
}

public class SecretsAndAuthorizationRegistrationTests
{
    [Fact]
    public async Task By_default_nobody_may_do_anything_until_roles_are_granted()
    {
        var services = new ServiceCollection();
        services.AddAutomations();
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        var authorizer = provider.GetRequiredService<IAutomationAuthorizer>();
        var alice = new AutomationActor("alice");

        Assert.IsType<Automations.Core.Authorization.RoleBasedAuthorizer>(authorizer);
        Assert.False(await authorizer.IsAllowedAsync(alice, AutomationPermission.ViewAutomations, "acme"));
        await Assert.ThrowsAsync<Automations.Core.Domain.AutomationAccessDeniedException>(() => provider.GetRequiredService<SecretManager>().ListAsync(alice, "acme"));

        provider.GetRequiredService<Automations.Core.Authorization.InMemoryTeamRoleProvider>().Grant("acme", "alice", TeamRole.Member);
        Assert.True(await authorizer.IsAllowedAsync(alice, AutomationPermission.ViewAutomations, "acme"));
    }

    [Fact]
    public async Task Role_grants_from_several_calls_accumulate()
    {
        var services = new ServiceCollection();
        services.AddAutomations().AddTeamRoles(r => r.Grant("acme", "alice", TeamRole.Admin));
        services.AddAutomations().AddTeamRoles(r => r.Grant("acme", "bob", TeamRole.Member));
        await using var provider = services.BuildServiceProvider();
        var roles = provider.GetRequiredService<ITeamRoleProvider>();

        Assert.Equal(TeamRole.Admin, await roles.GetRoleAsync(new AutomationActor("alice"), "acme"));
        Assert.Equal(TeamRole.Member, await roles.GetRoleAsync(new AutomationActor("bob"), "acme"));
    }

    [Fact]
    public void The_in_memory_store_gets_an_ephemeral_key_and_configured_keys_win()
    {
        var services = new ServiceCollection();
        services.AddAutomations();
        using (var provider = services.BuildServiceProvider())
        {
            Assert.Equal("ephemeral", provider.GetRequiredService<ISecretProtector>().CurrentKeyId);
        }

        var configured = new ServiceCollection();
        configured.AddAutomations().ConfigureSecrets(o =>
        {
            o.CurrentKeyId = "2026-02";
            o.Keys["2026-01"] = Automations.Core.Secrets.SecretKeyRing.GenerateKey();
            o.Keys["2026-02"] = Automations.Core.Secrets.SecretKeyRing.GenerateKey();
        });
        using var withKeys = configured.BuildServiceProvider();
        var protector = Assert.IsType<Automations.Core.Secrets.AesGcmSecretProtector>(withKeys.GetRequiredService<ISecretProtector>());
        Assert.Equal("2026-02", protector.CurrentKeyId);
    }

    [Fact]
    public void A_durable_store_without_a_key_ring_is_a_clear_start_up_error()
    {
        var services = new ServiceCollection();
        services.AddAutomations().AddSecretStore<DurableLookingStore>();
        using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<ISecretResolver>());
        Assert.Contains("SecretOptions.CurrentKeyId", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_secret_or_role_options_fail_on_start()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddAutomations()
            .ConfigureSecrets(o => { o.CurrentKeyId = "k1"; o.Keys["k1"] = "too-short"; })
            .ConfigureTeamRoles(o => o.ManageAutomations = TeamRole.None);
        using var host = builder.Build();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.DoesNotContain("too-short", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_host_protector_replaces_the_default()
    {
        var services = new ServiceCollection();
        services.AddAutomations().AddSecretProtector<FixedProtector>();
        using var provider = services.BuildServiceProvider();

        Assert.IsType<FixedProtector>(provider.GetRequiredService<ISecretProtector>());
    }

    private sealed class DurableLookingStore : ISecretStore
    {
        private readonly InMemorySecretStore _inner = new();

        public ValueTask<StoreWriteResult> AddAsync(Automations.Core.Domain.Secrets.SecretRecord secret, CancellationToken cancellationToken = default) => _inner.AddAsync(secret, cancellationToken);

        public ValueTask<StoreWriteResult> UpdateAsync(Automations.Core.Domain.Secrets.SecretRecord secret, CancellationToken cancellationToken = default) => _inner.UpdateAsync(secret, cancellationToken);

        public ValueTask<bool> DeleteAsync(string id, CancellationToken cancellationToken = default) => _inner.DeleteAsync(id, cancellationToken);

        public ValueTask<Automations.Core.Domain.Secrets.SecretRecord?> GetAsync(string id, CancellationToken cancellationToken = default) => _inner.GetAsync(id, cancellationToken);

        public ValueTask<Automations.Core.Domain.Secrets.SecretRecord?> FindByNameAsync(string entity, string name, CancellationToken cancellationToken = default) => _inner.FindByNameAsync(entity, name, cancellationToken);

        public ValueTask<IReadOnlyList<Automations.Core.Domain.Secrets.SecretRecord>> ListAsync(string entity, CancellationToken cancellationToken = default) => _inner.ListAsync(entity, cancellationToken);
    }

    private sealed class FixedProtector : ISecretProtector
    {
        public string CurrentKeyId => "fixed";

        public ValueTask<Automations.Core.Domain.Secrets.SecretCiphertext> ProtectAsync(string plaintext, SecretProtectionContext context, CancellationToken cancellationToken = default)
            => ValueTask.FromResult(new Automations.Core.Domain.Secrets.SecretCiphertext("fixed", System.Text.Encoding.UTF8.GetBytes(plaintext)));

        public ValueTask<string> UnprotectAsync(Automations.Core.Domain.Secrets.SecretCiphertext ciphertext, SecretProtectionContext context, CancellationToken cancellationToken = default)
            => ValueTask.FromResult(System.Text.Encoding.UTF8.GetString(ciphertext.Data.Span));
    }
}

using Automations.Core.Abstractions;
using Automations.Core.Authorization;
using Automations.Core.DependencyInjection;
using Automations.Core.Engine;
using Automations.Core.Engine.Handlers;
using Automations.Core.Secrets;
using Automations.Core.Storage.InMemory;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

#pragma warning disable IDE0130 // Extension methods live in the DI namespace, as Microsoft.Extensions do.
namespace Microsoft.Extensions.DependencyInjection;
#pragma warning restore IDE0130

/// <summary>Registers the automations engine.</summary>
public static class AutomationsServiceCollectionExtensions
{
    /// <summary>
    /// Registers the engine (<see cref="AutomationEngine"/>, <see cref="DeliveryWorker"/>,
    /// <see cref="AutomationManager"/>, <see cref="WebhookIntegrationManager"/>, <see cref="SecretManager"/>,
    /// <see cref="WebhookTester"/>, the SSRF-guarded webhook dispatcher, a hosted
    /// service running the worker), the built-in action handlers, and in-memory stores unless other stores were
    /// registered first. Team secrets are encrypted by <see cref="AesGcmSecretProtector"/> under the key ring of
    /// <see cref="SecretOptions"/> (an ephemeral key only with the in-memory secret store). Authorization is
    /// <see cref="RoleBasedAuthorizer"/> over <see cref="ITeamRoleProvider"/>, whose default in-memory table grants
    /// nothing: map your users with <c>AddTeamRoles</c> or <c>AddTeamRoleProvider</c>. Options are validated at
    /// start-up. Calling it twice is harmless.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Configures the engine options; may be null.</param>
    /// <returns>A builder to add launch queues, action handlers, an authorizer or a secret resolver.</returns>
    public static AutomationsBuilder AddAutomations(this IServiceCollection services, Action<AutomationEngineOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<AutomationEngineOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AutomationEngineOptions>, AutomationEngineOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);

        services.TryAddSingleton<InMemoryAutomationStore>();
        services.TryAddSingleton<IAutomationStore>(sp => sp.GetRequiredService<InMemoryAutomationStore>());
        services.AddOptions<InMemoryStoreOptions>().ValidateOnStart();
        CollectedOptionsValidator<InMemoryStoreOptions>.Register(services, static (o, problems) => o.Validate(problems));
        services.TryAddSingleton(sp => new InMemoryDeliveryStore(sp.GetRequiredService<IOptions<InMemoryStoreOptions>>().Value));
        services.TryAddSingleton<IDeliveryStore>(sp => sp.GetRequiredService<InMemoryDeliveryStore>());
        services.TryAddSingleton(sp => new InMemoryExecutionHistoryStore(sp.GetRequiredService<IOptions<InMemoryStoreOptions>>().Value));
        services.TryAddSingleton<IExecutionHistoryStore>(sp => sp.GetRequiredService<InMemoryExecutionHistoryStore>());
        services.TryAddSingleton<InMemoryIntegrationStore>();
        services.TryAddSingleton<IIntegrationStore>(sp => sp.GetRequiredService<InMemoryIntegrationStore>());
        services.TryAddSingleton<InMemorySecretStore>();
        services.TryAddSingleton<ISecretStore>(sp => sp.GetRequiredService<InMemorySecretStore>());
        AddSecretsAndAuthorization(services);

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IActionHandler, NoOpActionHandler>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IActionHandler, WebhookActionHandler>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IActionHandler, NotificationActionHandler>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IActionHandler, LaunchJobActionHandler>(sp => new LaunchJobActionHandler(sp.GetService<ILaunchQueue>())));

        services.TryAddSingleton<AutomationEngine>();
        services.TryAddSingleton<DeliveryWorker>();
        services.TryAddSingleton<AutomationManager>();
        services.TryAddSingleton<WebhookIntegrationManager>();
        services.TryAddSingleton<WebhookTester>();
        services.TryAddSingleton<SecretManager>();
        services.AddAutomationsWebhookDispatcher();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, AutomationsHostedService>());
        return new AutomationsBuilder(services);
    }

    /// <summary>
    /// Secrets encrypted at rest (AES-256-GCM under the configured key ring; an ephemeral key only with the in-memory
    /// store) and role-based authorization (nobody has a role until the host maps its users).
    /// </summary>
    private static void AddSecretsAndAuthorization(IServiceCollection services)
    {
        services.AddOptions<SecretOptions>().ValidateOnStart();
        CollectedOptionsValidator<SecretOptions>.Register(services, static (o, problems) => o.Validate(problems));
        services.TryAddSingleton<ISecretProtector>(sp =>
        {
            var ring = sp.GetRequiredService<IOptions<SecretOptions>>().Value.BuildKeyRing();
            if (ring is null)
            {
                var store = sp.GetRequiredService<ISecretStore>();
                if (store is not InMemorySecretStore)
                {
                    throw new InvalidOperationException(
                        $"Team secrets are kept by {store.GetType().Name}, which outlives this process, so they need an encryption key ring "
                        + "that does too: configure SecretOptions.CurrentKeyId and SecretOptions.Keys, e.g. AddAutomations().ConfigureSecrets(o => "
                        + "{ o.CurrentKeyId = \"k1\"; o.Keys[\"k1\"] = <base64 of 32 random bytes from 'automations secret-key', kept outside the database> }), "
                        + "or register an ISecretProtector. An ephemeral key is used only with the in-memory secret store, whose contents die "
                        + "with the process anyway.");
                }

                ring = SecretKeyRing.CreateEphemeral();
            }

            return new AesGcmSecretProtector(ring);
        });
        services.TryAddSingleton<ISecretResolver>(sp => new EncryptedSecretResolver(
            sp.GetRequiredService<ISecretStore>(),
            sp.GetRequiredService<ISecretProtector>(),
            sp.GetService<TimeProvider>() ?? TimeProvider.System));

        services.AddOptions<TeamRoleOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TeamRoleOptions>, TeamRoleOptions.Validator>());
        services.TryAddSingleton<InMemoryTeamRoleProvider>();
        services.TryAddSingleton<ITeamRoleProvider>(sp => sp.GetRequiredService<InMemoryTeamRoleProvider>());
        services.TryAddSingleton<IAutomationAuthorizer, RoleBasedAuthorizer>();
    }
}

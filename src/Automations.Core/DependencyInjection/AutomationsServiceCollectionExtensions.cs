using Automations.Core.Abstractions;
using Automations.Core.DependencyInjection;
using Automations.Core.Engine;
using Automations.Core.Engine.Handlers;
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
    /// <see cref="AutomationManager"/>, <see cref="WebhookIntegrationManager"/>, <see cref="WebhookTester"/>, the
    /// SSRF-guarded webhook dispatcher, a hosted service running the worker), the built-in action handlers, and
    /// in-memory stores unless other stores were registered first. Options are validated at start-up. Calling it
    /// twice is harmless.
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
        services.TryAddSingleton<InMemoryDeliveryStore>();
        services.TryAddSingleton<IDeliveryStore>(sp => sp.GetRequiredService<InMemoryDeliveryStore>());
        services.TryAddSingleton<InMemoryExecutionHistoryStore>();
        services.TryAddSingleton<IExecutionHistoryStore>(sp => sp.GetRequiredService<InMemoryExecutionHistoryStore>());
        services.TryAddSingleton<InMemoryIntegrationStore>();
        services.TryAddSingleton<IIntegrationStore>(sp => sp.GetRequiredService<InMemoryIntegrationStore>());
        services.TryAddSingleton<InMemorySecretStore>();
        services.TryAddSingleton<ISecretResolver>(sp => sp.GetRequiredService<InMemorySecretStore>());
        services.TryAddSingleton<IAutomationAuthorizer, AllowAllAuthorizer>();

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IActionHandler, NoOpActionHandler>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IActionHandler, WebhookActionHandler>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IActionHandler, NotificationActionHandler>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IActionHandler, LaunchJobActionHandler>(sp => new LaunchJobActionHandler(sp.GetService<ILaunchQueue>())));

        services.TryAddSingleton<AutomationEngine>();
        services.TryAddSingleton<DeliveryWorker>();
        services.TryAddSingleton<AutomationManager>();
        services.TryAddSingleton<WebhookIntegrationManager>();
        services.TryAddSingleton<WebhookTester>();
        services.AddAutomationsWebhookDispatcher();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, AutomationsHostedService>());
        return new AutomationsBuilder(services);
    }
}

using Automations.Core.Abstractions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Automations.Core.DependencyInjection;

/// <summary>Configures the automations engine registered by <c>AddAutomations</c>.</summary>
public sealed class AutomationsBuilder
{
    internal AutomationsBuilder(IServiceCollection services) => Services = services;

    /// <summary>The service collection.</summary>
    public IServiceCollection Services { get; }

    /// <summary>Uses a host-supplied launch queue for launch-job actions (replacing any registered before).</summary>
    /// <typeparam name="T">The queue type.</typeparam>
    /// <returns>This builder.</returns>
    public AutomationsBuilder AddLaunchQueue<T>()
        where T : class, ILaunchQueue
    {
        Services.Replace(ServiceDescriptor.Singleton<ILaunchQueue, T>());
        return this;
    }

    /// <summary>Uses a launch queue instance for launch-job actions (replacing any registered before).</summary>
    /// <param name="queue">The queue.</param>
    /// <returns>This builder.</returns>
    public AutomationsBuilder AddLaunchQueue(ILaunchQueue queue)
    {
        ArgumentNullException.ThrowIfNull(queue);
        Services.Replace(ServiceDescriptor.Singleton(queue));
        return this;
    }

    /// <summary>
    /// Adds an action handler for a custom kind. Registering the same type twice is harmless; each kind has exactly
    /// one handler, so a second handler type for a kind already handled (including a built-in kind) makes building
    /// the <see cref="Engine.DeliveryWorker"/> fail with an <see cref="ArgumentException"/> naming the kind.
    /// </summary>
    /// <typeparam name="T">The handler type.</typeparam>
    /// <returns>This builder.</returns>
    public AutomationsBuilder AddActionHandler<T>()
        where T : class, IActionHandler
    {
        Services.TryAddEnumerable(ServiceDescriptor.Singleton<IActionHandler, T>());
        return this;
    }

    /// <summary>Uses the host's authorizer (replacing the allow-all development default).</summary>
    /// <typeparam name="T">The authorizer type.</typeparam>
    /// <returns>This builder.</returns>
    public AutomationsBuilder AddAuthorizer<T>()
        where T : class, IAutomationAuthorizer
    {
        Services.Replace(ServiceDescriptor.Singleton<IAutomationAuthorizer, T>());
        return this;
    }

    /// <summary>Uses the host's secret resolver (replacing the in-memory secret store).</summary>
    /// <typeparam name="T">The resolver type.</typeparam>
    /// <returns>This builder.</returns>
    public AutomationsBuilder AddSecretResolver<T>()
        where T : class, ISecretResolver
    {
        Services.Replace(ServiceDescriptor.Singleton<ISecretResolver, T>());
        return this;
    }
}

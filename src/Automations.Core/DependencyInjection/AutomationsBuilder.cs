using Automations.Core.Abstractions;
using Automations.Core.Authorization;
using Automations.Core.Engine;
using Automations.Core.Secrets;
using Automations.Core.Storage.InMemory;
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

    /// <summary>
    /// Uses the host's authorizer, replacing the default <see cref="RoleBasedAuthorizer"/> (for a permission model
    /// other than team admin/member; it must refuse everything in teams the actor does not belong to).
    /// </summary>
    /// <typeparam name="T">The authorizer type.</typeparam>
    /// <returns>This builder.</returns>
    public AutomationsBuilder AddAuthorizer<T>()
        where T : class, IAutomationAuthorizer
    {
        Services.Replace(ServiceDescriptor.Singleton<IAutomationAuthorizer, T>());
        return this;
    }

    /// <summary>Maps the host's users to team roles for the default <see cref="RoleBasedAuthorizer"/> (replacing the in-memory table).</summary>
    /// <typeparam name="T">The role provider type.</typeparam>
    /// <returns>This builder.</returns>
    public AutomationsBuilder AddTeamRoleProvider<T>()
        where T : class, ITeamRoleProvider
    {
        Services.Replace(ServiceDescriptor.Singleton<ITeamRoleProvider, T>());
        return this;
    }

    /// <summary>Grants roles in the default in-memory role table (tests, demos, small fixed setups).</summary>
    /// <param name="grant">Grants roles, for example <c>r =&gt; r.Grant("acme", "alice", TeamRole.Admin)</c>.</param>
    /// <returns>This builder.</returns>
    public AutomationsBuilder AddTeamRoles(Action<InMemoryTeamRoleProvider> grant)
    {
        ArgumentNullException.ThrowIfNull(grant);
        var existing = Services.LastOrDefault(d => !d.IsKeyedService && d.ServiceType == typeof(InMemoryTeamRoleProvider) && d.ImplementationInstance is not null);
        var table = existing?.ImplementationInstance as InMemoryTeamRoleProvider ?? new InMemoryTeamRoleProvider();
        grant(table);
        Services.Replace(ServiceDescriptor.Singleton(table));
        return this;
    }

    /// <summary>Configures the default authorizer (for example whether members may manage automations).</summary>
    /// <param name="configure">Configures the options.</param>
    /// <returns>This builder.</returns>
    public AutomationsBuilder ConfigureTeamRoles(Action<TeamRoleOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        Services.Configure(configure);
        return this;
    }

    /// <summary>
    /// Configures how much the in-memory stores remember (finished deliveries and history rows per automation,
    /// event ids for idempotent publishing); see <see cref="InMemoryStoreOptions"/>.
    /// </summary>
    /// <param name="configure">Configures the options.</param>
    /// <returns>This builder.</returns>
    public AutomationsBuilder ConfigureInMemoryStores(Action<InMemoryStoreOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        Services.Configure(configure);
        return this;
    }

    /// <summary>Configures team secrets: the encryption key ring and the default rotation grace period.</summary>
    /// <param name="configure">Configures the options.</param>
    /// <returns>This builder.</returns>
    public AutomationsBuilder ConfigureSecrets(Action<SecretOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        Services.Configure(configure);
        return this;
    }

    /// <summary>Uses the host's secret store (ciphertext persistence), replacing the in-memory one.</summary>
    /// <typeparam name="T">The store type.</typeparam>
    /// <returns>This builder.</returns>
    public AutomationsBuilder AddSecretStore<T>()
        where T : class, ISecretStore
    {
        Services.Replace(ServiceDescriptor.Singleton<ISecretStore, T>());
        return this;
    }

    /// <summary>Uses the host's secret protector (a KMS, ASP.NET Core Data Protection), replacing AES-GCM under <see cref="SecretOptions"/>' key ring.</summary>
    /// <typeparam name="T">The protector type.</typeparam>
    /// <returns>This builder.</returns>
    public AutomationsBuilder AddSecretProtector<T>()
        where T : class, ISecretProtector
    {
        Services.Replace(ServiceDescriptor.Singleton<ISecretProtector, T>());
        return this;
    }

    /// <summary>
    /// Uses the host's secret resolver for deliveries, replacing the default that decrypts the secret store's
    /// records (for hosts whose secrets live in their own vault; <see cref="SecretManager"/> then still manages the
    /// secret store only).
    /// </summary>
    /// <typeparam name="T">The resolver type.</typeparam>
    /// <returns>This builder.</returns>
    public AutomationsBuilder AddSecretResolver<T>()
        where T : class, ISecretResolver
    {
        Services.Replace(ServiceDescriptor.Singleton<ISecretResolver, T>());
        return this;
    }
}

using Automations.Core.Abstractions;
using Automations.Core.DependencyInjection;
using Automations.Core.Domain;
using Automations.Sqlite;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

#pragma warning disable IDE0130 // Extension methods live in the DI namespace, as Microsoft.Extensions do.
namespace Microsoft.Extensions.DependencyInjection;
#pragma warning restore IDE0130

/// <summary>Registers the SQLite stores on an <see cref="AutomationsBuilder"/>.</summary>
public static class SqliteAutomationsBuilderExtensions
{
    /// <summary>
    /// Stores automations, the delivery queue, the execution history, webhook integrations and team secrets
    /// (ciphertext only) in one SQLite file, replacing the in-memory stores:
    /// <c>services.AddAutomations().UseSqlite("Data Source=automations.db").ConfigureSecrets(...)</c>. Since the
    /// secrets outlive the process, the key ring that encrypts them must be configured
    /// (<see cref="AutomationsBuilder.ConfigureSecrets"/>) or an <c>ISecretProtector</c> registered; without one the
    /// host fails to start with an error saying so. The schema is created or migrated when the host starts (and on
    /// first use); a file with a newer schema is refused.
    /// </summary>
    /// <param name="builder">The builder returned by <c>AddAutomations</c>.</param>
    /// <param name="connectionString">A Microsoft.Data.Sqlite connection string naming the file.</param>
    /// <param name="configure">Adjusts the settings (synchronous mode, busy timeout); may be null.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="AutomationValidationException">The connection string or a setting is invalid.</exception>
    public static AutomationsBuilder UseSqlite(this AutomationsBuilder builder, string connectionString, Action<SqliteStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = new SqliteStoreOptions { ConnectionString = connectionString };
        configure?.Invoke(options);
        _ = new SqliteAutomationsDatabase(options); // validates now, so bad settings fail at registration

        var services = builder.Services;
        services.Replace(ServiceDescriptor.Singleton(sp => new SqliteAutomationsDatabase(options, sp.GetService<TimeProvider>())));
        services.Replace(ServiceDescriptor.Singleton<SqliteAutomationStore, SqliteAutomationStore>());
        services.Replace(ServiceDescriptor.Singleton<SqliteDeliveryStore, SqliteDeliveryStore>());
        services.Replace(ServiceDescriptor.Singleton<SqliteExecutionHistoryStore, SqliteExecutionHistoryStore>());
        services.Replace(ServiceDescriptor.Singleton<SqliteIntegrationStore, SqliteIntegrationStore>());
        services.Replace(ServiceDescriptor.Singleton<SqliteSecretStore, SqliteSecretStore>());
        services.Replace(ServiceDescriptor.Singleton<IAutomationStore>(sp => sp.GetRequiredService<SqliteAutomationStore>()));
        services.Replace(ServiceDescriptor.Singleton<IDeliveryStore>(sp => sp.GetRequiredService<SqliteDeliveryStore>()));
        services.Replace(ServiceDescriptor.Singleton<IExecutionHistoryStore>(sp => sp.GetRequiredService<SqliteExecutionHistoryStore>()));
        services.Replace(ServiceDescriptor.Singleton<IIntegrationStore>(sp => sp.GetRequiredService<SqliteIntegrationStore>()));
        services.Replace(ServiceDescriptor.Singleton<ISecretStore>(sp => sp.GetRequiredService<SqliteSecretStore>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, SqliteMigrationHostedService>());
        return builder;
    }

    /// <summary>Migrates the schema when the host starts, so a refused (newer) schema stops start-up with a clear error.</summary>
    private sealed class SqliteMigrationHostedService(SqliteAutomationsDatabase database) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => database.MigrateAsync(cancellationToken).AsTask();

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}

using Automations.Core.Abstractions;
using Automations.Core.Domain;
using Automations.Core.Domain.Integrations;
using Automations.Core.Http;
using Automations.Core.Signing;
using Microsoft.Data.Sqlite;

using Automations.Sqlite.Internal;
using Automations.Core.Domain.Endpoints;

namespace Automations.Sqlite;

/// <summary>
/// Team webhook integrations on SQLite: one row each in <c>webhook_integrations</c>, with the URL as given, the
/// NAMES of the signing and access-token secrets (never their values), the signing scheme and the enabled flag with
/// its reason. Ids are unique and names unique per team (a unique index on <c>(entity, name)</c>); a team's list is
/// ordered by name (ordinal). Writes join the database's group commit; reads see other processes' writes at once.
/// </summary>
public sealed class SqliteIntegrationStore : IIntegrationStore
{
    private const string Columns = "id, entity, name, url, signing_secret_name, access_token_secret_name, signing_scheme, enabled, disabled_reason, failing_since";

    /// <summary>
    /// The policy a stored URL is read back under. The host's policy was applied when the integration was saved,
    /// and the dispatcher's connect-time guard applies the current one to every delivery, so reading a row only
    /// checks that the URL is still a well-formed http(s) endpoint; loopback and private hosts a development host
    /// allowed must not make its own rows unreadable.
    /// </summary>
    private static readonly EndpointPolicy s_readPolicy = new(new EndpointPolicyOptions
    {
        AllowLoopback = true,
        AllowPrivateNetworks = true,
        AllowHttp = true,
    });

    private readonly SqliteAutomationsDatabase _database;

    /// <summary>Creates the store.</summary>
    /// <param name="database">The database.</param>
    public SqliteIntegrationStore(SqliteAutomationsDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
    }

    /// <inheritdoc />
    public ValueTask<StoreWriteResult> AddAsync(WebhookIntegration integration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(integration);
        cancellationToken.ThrowIfCancellationRequested();
        return new ValueTask<StoreWriteResult>(WriteAsync(integration, adding: true));
    }

    /// <inheritdoc />
    public ValueTask<StoreWriteResult> UpdateAsync(WebhookIntegration integration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(integration);
        cancellationToken.ThrowIfCancellationRequested();
        return new ValueTask<StoreWriteResult>(WriteAsync(integration, adding: false));
    }

    /// <inheritdoc />
    public ValueTask<bool> DeleteAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        cancellationToken.ThrowIfCancellationRequested();
        return new ValueTask<bool>(_database.DeleteByIdAsync("webhook_integrations", id));
    }

    /// <inheritdoc />
    public ValueTask<WebhookIntegration?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        cancellationToken.ThrowIfCancellationRequested();
        using var connection = _database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM webhook_integrations WHERE id = $id;";
        command.Parameters.AddWithValue("$id", id);
        var rows = Read(command);
        return ValueTask.FromResult(rows.Count == 0 ? null : rows[0]);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<WebhookIntegration>> ListAsync(string entity, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entity);
        cancellationToken.ThrowIfCancellationRequested();
        using var connection = _database.Open();
        using var command = connection.CreateCommand();

        // BINARY collation orders UTF-8 bytes, i.e. by code point: the ordinal order for the BMP characters W&B's
        // name rule allows.
        command.CommandText = $"SELECT {Columns} FROM webhook_integrations WHERE entity = $entity ORDER BY name;";
        command.Parameters.AddWithValue("$entity", entity);
        return ValueTask.FromResult<IReadOnlyList<WebhookIntegration>>(Read(command));
    }

    /// <summary>Describes the store by its file (never the connection string, which may hold a password).</summary>
    /// <returns>For example <c>SqliteIntegrationStore (automations.db)</c>.</returns>
    public override string ToString() => $"{nameof(SqliteIntegrationStore)} ({_database.DataSource})";

    private static List<WebhookIntegration> Read(SqliteCommand command)
    {
        var rows = new List<WebhookIntegration>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var id = reader.GetString(0);
            try
            {
                rows.Add(WebhookIntegration.Create(
                    id,
                    reader.GetString(1),
                    reader.GetString(2),
                    reader.GetString(3),
                    reader.IsDBNull(4) ? null : reader.GetString(4),
                    reader.IsDBNull(5) ? null : reader.GetString(5),
                    (WebhookSigningScheme)reader.GetInt32(6),
                    reader.GetInt64(7) != 0,
                    reader.IsDBNull(8) ? null : reader.GetString(8),
                    s_readPolicy,
                    reader.IsDBNull(9) ? null : Times.FromDb(reader.GetInt64(9))));
            }
            catch (AutomationValidationException ex)
            {
                throw new AutomationsException($"The stored webhook integration '{id}' is not valid ({string.Join("; ", ex.Problems)}); was the row edited by hand?", ex);
            }
        }

        return rows;
    }

    private Task<StoreWriteResult> WriteAsync(WebhookIntegration integration, bool adding)
        => _database.WriteAsync((connection, transaction) =>
        {
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "SELECT COUNT(*) FROM webhook_integrations WHERE id = $id;";
            command.Parameters.AddWithValue("$id", integration.Id);
            var exists = (long)command.ExecuteScalar()! > 0;
            if (adding && exists)
            {
                return StoreWriteResult.IdConflict;
            }

            if (!adding && !exists)
            {
                return StoreWriteResult.NotFound;
            }

            command.CommandText = "SELECT COUNT(*) FROM webhook_integrations WHERE entity = $entity AND name = $name AND id <> $id;";
            command.Parameters.AddWithValue("$entity", integration.EntityName);
            command.Parameters.AddWithValue("$name", integration.Name);
            if ((long)command.ExecuteScalar()! > 0)
            {
                return StoreWriteResult.NameConflict;
            }

            command.CommandText = adding
                ? $"INSERT INTO webhook_integrations ({Columns}) VALUES ($id, $entity, $name, $url, $signing, $token, $scheme, $enabled, $reason, $failing);"
                : "UPDATE webhook_integrations SET entity = $entity, name = $name, url = $url, signing_secret_name = $signing, "
                  + "access_token_secret_name = $token, signing_scheme = $scheme, enabled = $enabled, disabled_reason = $reason, failing_since = $failing WHERE id = $id;";
            command.Parameters.AddWithValue("$url", integration.Url.OriginalString);
            command.Parameters.AddWithValue("$signing", (object?)integration.SigningSecretName ?? DBNull.Value);
            command.Parameters.AddWithValue("$token", (object?)integration.AccessTokenSecretName ?? DBNull.Value);
            command.Parameters.AddWithValue("$scheme", (int)integration.SigningScheme);
            command.Parameters.AddWithValue("$enabled", integration.IsEnabled ? 1 : 0);
            command.Parameters.AddWithValue("$reason", (object?)integration.DisabledReason ?? DBNull.Value);
            command.Parameters.AddWithValue("$failing", integration.FailingSince is { } since ? Times.ToDb(since) : DBNull.Value);
            command.ExecuteNonQuery();
            return StoreWriteResult.Applied;
        });
}

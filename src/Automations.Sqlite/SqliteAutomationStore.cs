using Automations.Core.Abstractions;
using Automations.Core.Domain;
using Automations.Core.Domain.Events;
using Automations.Sqlite.Internal;
using Microsoft.Data.Sqlite;

namespace Automations.Sqlite;

/// <summary>
/// Automations on SQLite. Each automation is one row: its JSON snapshot plus the columns the indexes need.
/// Candidates for an event are found with one indexed lookup on (scope key, event type) for the event's three
/// scope keys (entity, project or registry, collection); ids are unique, and names are unique per scope (a
/// unique index). Parsed automations are cached by revision, so repeated lookups do not re-parse JSON, while
/// writes by other processes are seen at once.
/// </summary>
public sealed class SqliteAutomationStore : IAutomationStore
{
    internal const string Candidates =
        "SELECT id, revision, body FROM automations "
        + "WHERE scope_key IN ($entity, $container, $collection) AND event_type = $type AND enabled = 1 "
        + "AND (collection IS NULL OR collection = $name);";

    private readonly SqliteAutomationsDatabase _database;

    /// <summary>Creates the store.</summary>
    /// <param name="database">The database.</param>
    public SqliteAutomationStore(SqliteAutomationsDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
    }

    /// <inheritdoc />
    public ValueTask<StoreWriteResult> AddAsync(Automation automation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(automation);
        cancellationToken.ThrowIfCancellationRequested();
        return new ValueTask<StoreWriteResult>(WriteAsync(automation, adding: true));
    }

    /// <inheritdoc />
    public ValueTask<StoreWriteResult> UpdateAsync(Automation automation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(automation);
        cancellationToken.ThrowIfCancellationRequested();
        return new ValueTask<StoreWriteResult>(WriteAsync(automation, adding: false));
    }

    /// <inheritdoc />
    public ValueTask<bool> DeleteAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        cancellationToken.ThrowIfCancellationRequested();
        return new ValueTask<bool>(_database.DeleteByIdAsync("automations", id));
    }

    /// <inheritdoc />
    public ValueTask<Automation?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        cancellationToken.ThrowIfCancellationRequested();
        using var connection = _database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, revision, body FROM automations WHERE id = $id;";
        command.Parameters.AddWithValue("$id", id);
        var rows = Read(command);
        return ValueTask.FromResult(rows.Count == 0 ? null : rows[0]);
    }

    /// <inheritdoc />
    public ValueTask<Page<Automation>> ListAsync(string entity, PageRequest page, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entity);
        cancellationToken.ThrowIfCancellationRequested();
        var after = PageTokens.DecodeNameId(page.PageToken);
        var size = page.EffectivePageSize;
        using var connection = _database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = after is null
            ? "SELECT id, revision, body FROM automations WHERE entity = $entity ORDER BY name, id LIMIT $limit;"
            : "SELECT id, revision, body FROM automations WHERE entity = $entity AND (name > $name OR (name = $name AND id > $id)) ORDER BY name, id LIMIT $limit;";
        command.Parameters.AddWithValue("$entity", entity);
        command.Parameters.AddWithValue("$limit", size + 1);
        if (after is { } a)
        {
            command.Parameters.AddWithValue("$name", a.Name);
            command.Parameters.AddWithValue("$id", a.Id);
        }

        var rows = Read(command);
        if (rows.Count <= size)
        {
            return ValueTask.FromResult(new Page<Automation>(rows, null));
        }

        rows.RemoveAt(size);
        var last = rows[^1];
        return ValueTask.FromResult(new Page<Automation>(rows, PageTokens.EncodeNameId(last.Name, last.Id)));
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<Automation>> FindCandidatesAsync(ArtifactEvent artifactEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(artifactEvent);
        cancellationToken.ThrowIfCancellationRequested();
        var (entity, container, collection) = ScopeKeys.For(artifactEvent);
        using var connection = _database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = Candidates;
        command.Parameters.AddWithValue("$entity", entity);
        command.Parameters.AddWithValue("$container", container);
        command.Parameters.AddWithValue("$collection", collection);
        command.Parameters.AddWithValue("$type", (int)artifactEvent.Type);
        command.Parameters.AddWithValue("$name", artifactEvent.Collection);
        return ValueTask.FromResult<IReadOnlyList<Automation>>(Read(command));
    }

    private List<Automation> Read(SqliteCommand command)
    {
        var rows = new List<Automation>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            rows.Add(_database.AutomationFromRow(reader.GetString(0), reader.GetInt64(1), reader.GetString(2)));
        }

        return rows;
    }

    private Task<StoreWriteResult> WriteAsync(Automation automation, bool adding)
    {
        var scopeKey = ScopeKeys.For(automation.Scope);
        var body = _database.BodyOf(automation);
        return _database.WriteAsync((connection, transaction) =>
        {
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "SELECT COUNT(*) FROM automations WHERE id = $id;";
            command.Parameters.AddWithValue("$id", automation.Id);
            var exists = (long)command.ExecuteScalar()! > 0;
            if (adding && exists)
            {
                return StoreWriteResult.IdConflict;
            }

            if (!adding && !exists)
            {
                return StoreWriteResult.NotFound;
            }

            command.CommandText = "SELECT COUNT(*) FROM automations WHERE scope_key = $scope AND name = $name AND id <> $id;";
            command.Parameters.AddWithValue("$scope", scopeKey);
            command.Parameters.AddWithValue("$name", automation.Name);
            if ((long)command.ExecuteScalar()! > 0)
            {
                return StoreWriteResult.NameConflict;
            }

            command.CommandText = adding
                ? "INSERT INTO automations (id, entity, scope_key, name, event_type, collection, enabled, revision, created_at, updated_at, body) "
                  + "VALUES ($id, $entity, $scope, $name, $type, $collection, $enabled, $revision, $created, $updated, $body);"
                : "UPDATE automations SET entity = $entity, scope_key = $scope, name = $name, event_type = $type, collection = $collection, enabled = $enabled, "
                  + "revision = $revision, created_at = $created, updated_at = $updated, body = $body WHERE id = $id;";
            command.Parameters.AddWithValue("$entity", automation.Scope.Entity);
            command.Parameters.AddWithValue("$type", (int)automation.Trigger.EventType);
            command.Parameters.AddWithValue("$collection", (object?)automation.Trigger.Collection ?? DBNull.Value);
            command.Parameters.AddWithValue("$enabled", automation.Enabled ? 1 : 0);

            // A random revision (not a counter): a deleted and re-added id never reuses a cached parse.
            command.Parameters.AddWithValue("$revision", Random.Shared.NextInt64());
            command.Parameters.AddWithValue("$created", Times.ToDb(automation.CreatedAt));
            command.Parameters.AddWithValue("$updated", Times.ToDb(automation.UpdatedAt));
            command.Parameters.AddWithValue("$body", body);
            command.ExecuteNonQuery();
            return StoreWriteResult.Applied;
        });
    }
}

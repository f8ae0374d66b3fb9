using Automations.Core.Abstractions;
using Automations.Core.Domain;
using Automations.Core.Domain.Secrets;
using Automations.Sqlite.Internal;
using Microsoft.Data.Sqlite;

namespace Automations.Sqlite;

/// <summary>
/// Team secrets on SQLite: one row each in <c>secrets</c> holding what a <see cref="SecretRecord"/> holds and nothing
/// more: the encrypted value (key id + ciphertext bytes), during a rotation grace period the encrypted previous value
/// and its expiry, the version, and timestamps. No plaintext ever reaches this store (the
/// <see cref="ISecretProtector"/> encrypts before it is called), so the file alone does not reveal a secret; the key
/// ring must be kept elsewhere. Ids are unique and names unique per team; updates apply only over the previous
/// version (<c>UPDATE … WHERE id = $id AND version = $version - 1</c>, checked inside the write transaction).
/// </summary>
public sealed class SqliteSecretStore : ISecretStore
{
    private const string Columns =
        "id, entity, name, version, key_id, ciphertext, previous_key_id, previous_ciphertext, previous_expires_at, created_at, updated_at";

    private readonly SqliteAutomationsDatabase _database;

    /// <summary>Creates the store.</summary>
    /// <param name="database">The database.</param>
    public SqliteSecretStore(SqliteAutomationsDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
    }

    /// <inheritdoc />
    public ValueTask<StoreWriteResult> AddAsync(SecretRecord secret, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(secret);
        cancellationToken.ThrowIfCancellationRequested();
        return new ValueTask<StoreWriteResult>(_database.WriteAsync((connection, transaction) =>
        {
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "SELECT COUNT(*) FROM secrets WHERE id = $id;";
            command.Parameters.AddWithValue("$id", secret.Id);
            if ((long)command.ExecuteScalar()! > 0)
            {
                return StoreWriteResult.IdConflict;
            }

            if (NameTaken(command, secret))
            {
                return StoreWriteResult.NameConflict;
            }

            command.CommandText = $"INSERT INTO secrets ({Columns}) VALUES ($id, $entity, $name, $version, $key, $data, $prevKey, $prevData, $prevUntil, $created, $updated);";
            Bind(command, secret);
            command.ExecuteNonQuery();
            return StoreWriteResult.Applied;
        }));
    }

    /// <inheritdoc />
    public ValueTask<StoreWriteResult> UpdateAsync(SecretRecord secret, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(secret);
        cancellationToken.ThrowIfCancellationRequested();
        return new ValueTask<StoreWriteResult>(_database.WriteAsync((connection, transaction) =>
        {
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "SELECT version FROM secrets WHERE id = $id AND entity = $entity;";
            command.Parameters.AddWithValue("$id", secret.Id);
            command.Parameters.AddWithValue("$entity", secret.Entity);
            if (command.ExecuteScalar() is not long stored)
            {
                return StoreWriteResult.NotFound;
            }

            if (stored != secret.Version - 1)
            {
                return StoreWriteResult.StaleVersion;
            }

            if (NameTaken(command, secret))
            {
                return StoreWriteResult.NameConflict;
            }

            command.CommandText =
                "UPDATE secrets SET name = $name, version = $version, key_id = $key, ciphertext = $data, previous_key_id = $prevKey, "
                + "previous_ciphertext = $prevData, previous_expires_at = $prevUntil, created_at = $created, updated_at = $updated "
                + "WHERE id = $id AND entity = $entity AND version = $version - 1;";
            command.Parameters.Clear();
            Bind(command, secret);
            return command.ExecuteNonQuery() == 1 ? StoreWriteResult.Applied : StoreWriteResult.StaleVersion;
        }));
    }

    /// <inheritdoc />
    public ValueTask<bool> DeleteAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        cancellationToken.ThrowIfCancellationRequested();
        return new ValueTask<bool>(_database.DeleteByIdAsync("secrets", id));
    }

    /// <inheritdoc />
    public ValueTask<SecretRecord?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Single($"SELECT {Columns} FROM secrets WHERE id = $id;", ("$id", id)));
    }

    /// <inheritdoc />
    public ValueTask<SecretRecord?> FindByNameAsync(string entity, string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entity);
        ArgumentNullException.ThrowIfNull(name);
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Single($"SELECT {Columns} FROM secrets WHERE entity = $entity AND name = $name;", ("$entity", entity), ("$name", name)));
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<SecretRecord>> ListAsync(string entity, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entity);
        cancellationToken.ThrowIfCancellationRequested();
        using var connection = _database.Open();
        using var command = connection.CreateCommand();

        // Secret names are ASCII, so BINARY collation is the ordinal order.
        command.CommandText = $"SELECT {Columns} FROM secrets WHERE entity = $entity ORDER BY name;";
        command.Parameters.AddWithValue("$entity", entity);
        return ValueTask.FromResult<IReadOnlyList<SecretRecord>>(Read(command));
    }

    /// <summary>Describes the store by its file, without any secret or ciphertext.</summary>
    /// <returns>For example <c>SqliteSecretStore (automations.db)</c>.</returns>
    public override string ToString() => $"{nameof(SqliteSecretStore)} ({_database.DataSource})";

    private static bool NameTaken(SqliteCommand command, SecretRecord secret)
    {
        command.CommandText = "SELECT COUNT(*) FROM secrets WHERE entity = $entity AND name = $name AND id <> $id;";
        command.Parameters.Clear();
        command.Parameters.AddWithValue("$id", secret.Id);
        command.Parameters.AddWithValue("$entity", secret.Entity);
        command.Parameters.AddWithValue("$name", secret.Name);
        var taken = (long)command.ExecuteScalar()! > 0;
        command.Parameters.Clear();
        return taken;
    }

    private static void Bind(SqliteCommand command, SecretRecord secret)
    {
        command.Parameters.AddWithValue("$id", secret.Id);
        command.Parameters.AddWithValue("$entity", secret.Entity);
        command.Parameters.AddWithValue("$name", secret.Name);
        command.Parameters.AddWithValue("$version", secret.Version);
        command.Parameters.AddWithValue("$key", secret.Value.KeyId);
        command.Parameters.AddWithValue("$data", secret.Value.ToArray());
        command.Parameters.AddWithValue("$prevKey", (object?)secret.PreviousValue?.KeyId ?? DBNull.Value);
        command.Parameters.AddWithValue("$prevData", (object?)secret.PreviousValue?.ToArray() ?? DBNull.Value);
        command.Parameters.AddWithValue("$prevUntil", secret.PreviousValueExpiresAt is { } until ? (object)Times.ToDb(until) : DBNull.Value);
        command.Parameters.AddWithValue("$created", Times.ToDb(secret.CreatedAt));
        command.Parameters.AddWithValue("$updated", Times.ToDb(secret.UpdatedAt));
    }

    private static List<SecretRecord> Read(SqliteCommand command)
    {
        var rows = new List<SecretRecord>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var id = reader.GetString(0);
            try
            {
                var previous = reader.IsDBNull(7) ? null : new SecretCiphertext(reader.IsDBNull(6) ? string.Empty : reader.GetString(6), reader.GetFieldValue<byte[]>(7));
                rows.Add(new SecretRecord(
                    id,
                    reader.GetString(1),
                    reader.GetString(2),
                    new SecretCiphertext(reader.GetString(4), reader.GetFieldValue<byte[]>(5)),
                    Times.FromDb(reader.GetInt64(9)),
                    Times.FromDb(reader.GetInt64(10)),
                    previous,
                    reader.IsDBNull(8) ? null : Times.FromDb(reader.GetInt64(8)),
                    reader.GetInt64(3)));
            }
            catch (AutomationValidationException ex)
            {
                // The problems name fields and key ids, never ciphertext bytes.
                throw new AutomationsException($"The stored secret '{id}' is not valid ({string.Join("; ", ex.Problems)}); was the row edited by hand?", ex);
            }
        }

        return rows;
    }

    private SecretRecord? Single(string sql, params (string Name, string Value)[] parameters)
    {
        using var connection = _database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        var rows = Read(command);
        return rows.Count == 0 ? null : rows[0];
    }
}

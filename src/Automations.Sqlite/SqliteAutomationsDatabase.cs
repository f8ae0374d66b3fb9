using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using Automations.Core.Domain;
using Automations.Core.Serialization;
using Automations.Sqlite.Internal;
using Microsoft.Data.Sqlite;

namespace Automations.Sqlite;

/// <summary>
/// One SQLite database file holding automations, the delivery queue, the execution history, webhook integrations
/// and team secrets (ciphertext only): the entry point of this package (like a data source). Create one per file and
/// share it; the stores (<see cref="SqliteAutomationStore"/>, <see cref="SqliteDeliveryStore"/>,
/// <see cref="SqliteExecutionHistoryStore"/>, <see cref="SqliteIntegrationStore"/>, <see cref="SqliteSecretStore"/>)
/// take it. The schema is created or migrated on first use (or by <see cref="MigrateAsync"/>); a file whose
/// schema is newer than this library is refused. Thread-safe; several processes on one host may share the file.
/// </summary>
/// <remarks>
/// Every connection uses WAL journaling, <c>synchronous=FULL</c> by default (see
/// <see cref="SqliteStoreOptions.Synchronous"/>) and a busy timeout. Writes in this process are queued in memory
/// and committed in groups (one transaction and one fsync for all writes waiting at that moment, each write in
/// its own savepoint); writers in other processes wait on SQLite's lock up to
/// <see cref="SqliteStoreOptions.BusyTimeout"/>.
/// </remarks>
public sealed class SqliteAutomationsDatabase
{
    private const int MaxCachedSnapshots = 4096;

    private readonly string _connectionString;
    private readonly string _pragmas;
    private readonly object _migrationGate = new();
    private readonly ConcurrentDictionary<string, (long Revision, Automation Automation)> _byRevision = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Automation> _byBody = new(StringComparer.Ordinal);
    private readonly ConditionalWeakTable<Automation, string> _bodies = [];
    private readonly GroupCommitWriter _writer;
    private readonly TimeProvider _time;
    private volatile bool _migrated;

    /// <summary>Creates the database entry point; nothing is opened until first use.</summary>
    /// <param name="options">The settings.</param>
    /// <param name="timeProvider">The clock used to stamp applied migrations; <see cref="TimeProvider.System"/> when null.</param>
    /// <exception cref="AutomationValidationException">The connection string is missing or malformed, or a setting is out of range.</exception>
    public SqliteAutomationsDatabase(SqliteStoreOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new ValidationProblemCollector();
        SqliteConnectionStringBuilder? builder = null;
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            problems.Add("connectionString", "A connection string naming the database file is required, e.g. 'Data Source=automations.db'.");
        }
        else
        {
            try
            {
                builder = new SqliteConnectionStringBuilder(options.ConnectionString);
            }
            catch (ArgumentException)
            {
                // The text is not echoed: a connection string may hold a password.
                problems.Add("connectionString", "The connection string is not a valid SQLite connection string.");
            }

            if (builder is not null && (string.IsNullOrWhiteSpace(builder.DataSource) || builder.Mode == SqliteOpenMode.Memory || builder.DataSource == ":memory:"))
            {
                problems.Add("connectionString", "The stores need a database file ('Data Source=<path>'); in-memory databases are not durable.");
            }

            if (builder is { Mode: SqliteOpenMode.ReadOnly })
            {
                problems.Add("connectionString", "The stores write to the database; 'Mode=ReadOnly' cannot be used.");
            }
        }

        if (!Enum.IsDefined(options.Synchronous))
        {
            problems.Add("synchronous", $"Unknown synchronous mode {(int)options.Synchronous}; use Full or Normal.");
        }

        if (options.BusyTimeout <= TimeSpan.Zero || options.BusyTimeout > SqliteStoreOptions.MaxBusyTimeout)
        {
            problems.Add("busyTimeout", $"The busy timeout must be positive and at most {SqliteStoreOptions.MaxBusyTimeout.TotalMinutes:0} minutes.");
        }

        problems.ThrowIfInvalid();
        _time = timeProvider ?? TimeProvider.System;
        var busySeconds = (int)Math.Ceiling(options.BusyTimeout.TotalSeconds);
        builder!.DefaultTimeout = busySeconds;
        _connectionString = builder.ToString();
        Synchronous = options.Synchronous;
        BusyTimeout = options.BusyTimeout;
        DataSource = builder.DataSource;
        _writer = new GroupCommitWriter(OpenForWrite);
        _pragmas = string.Create(
            CultureInfo.InvariantCulture,
            $"PRAGMA busy_timeout = {(long)options.BusyTimeout.TotalMilliseconds}; PRAGMA synchronous = {(Synchronous == SqliteSynchronousMode.Full ? "FULL" : "NORMAL")};");
    }

    /// <summary>Creates the database entry point for a connection string with default settings.</summary>
    /// <param name="connectionString">E.g. <c>Data Source=automations.db</c>.</param>
    /// <exception cref="AutomationValidationException">The connection string is missing or malformed.</exception>
    public SqliteAutomationsDatabase(string connectionString)
        : this(new SqliteStoreOptions { ConnectionString = connectionString })
    {
    }

    /// <summary>The schema version this library creates and understands.</summary>
    public static int SchemaVersion => Migrations.Latest;

    /// <summary>The database file path (the connection string's data source).</summary>
    public string DataSource { get; }

    /// <summary>The <c>PRAGMA synchronous</c> setting used on every connection.</summary>
    public SqliteSynchronousMode Synchronous { get; }

    /// <summary>How long a write waits for another process's write lock.</summary>
    public TimeSpan BusyTimeout { get; }

    /// <summary>
    /// Runs a write inside this process's next group commit (SQLite has one writer at a time, so this process's
    /// writers queue here rather than on the file lock) and returns its result once the group is committed.
    /// </summary>
    internal Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, T> work) => _writer.WriteAsync(work);

    /// <summary>Deletes the row with the id from one of the store's tables (a constant, never user input).</summary>
    /// <returns>Whether a row was deleted.</returns>
    internal Task<bool> DeleteByIdAsync(string table, string id) => WriteAsync((connection, transaction) =>
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"DELETE FROM {table} WHERE id = $id;";
        command.Parameters.AddWithValue("$id", id);
        return command.ExecuteNonQuery() == 1;
    });

    /// <summary>
    /// Creates the schema or applies the missing migrations (in one transaction, each version recorded in
    /// <c>schema_version</c>); does nothing when the file is up to date. Runs on first use of any store anyway.
    /// </summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the schema is current.</returns>
    /// <exception cref="AutomationsException">The file's schema is newer than <see cref="SchemaVersion"/> (written by a newer library).</exception>
    public ValueTask MigrateAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        EnsureMigrated();
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Opens a connection for reading, migrating the schema on first use. Reads never wait on writers under WAL;
    /// Microsoft.Data.Sqlite retries a busy read (during recovery) up to the busy timeout.
    /// </summary>
    internal SqliteConnection Open()
    {
        EnsureMigrated();
        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Opens a connection for a write group, with the synchronous mode and busy timeout set.</summary>
    internal SqliteConnection OpenForWrite()
    {
        EnsureMigrated();
        return OpenRaw();
    }

    /// <summary>Reads an automation snapshot, parsing each distinct body once.</summary>
    internal Automation AutomationFromBody(string body)
    {
        if (_byBody.TryGetValue(body, out var cached))
        {
            return cached;
        }

        var automation = AutomationJson.DeserializeAutomation(body);
        if (_byBody.Count >= MaxCachedSnapshots)
        {
            _byBody.Clear();
        }

        _byBody[body] = automation;
        return automation;
    }

    /// <summary>Reads a stored automation, parsing it again only when its revision changed.</summary>
    internal Automation AutomationFromRow(string id, long revision, string body)
    {
        if (_byRevision.TryGetValue(id, out var cached) && cached.Revision == revision)
        {
            return cached.Automation;
        }

        var automation = AutomationJson.DeserializeAutomation(body);
        if (_byRevision.Count >= MaxCachedSnapshots)
        {
            _byRevision.Clear();
        }

        _byRevision[id] = (revision, automation);
        return automation;
    }

    /// <summary>The JSON body of an automation, serialised once per instance.</summary>
    internal string BodyOf(Automation automation) => _bodies.GetValue(automation, AutomationJson.Serialize);

    private SqliteConnection OpenRaw()
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = _pragmas;
            command.ExecuteNonQuery();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private void EnsureMigrated()
    {
        if (_migrated)
        {
            return;
        }

        lock (_migrationGate)
        {
            if (_migrated)
            {
                return;
            }

            using var connection = OpenRaw();
            using (var wal = connection.CreateCommand())
            {
                wal.CommandText = "PRAGMA journal_mode = WAL;";
                wal.ExecuteNonQuery();
            }

            {
                using var transaction = connection.BeginTransaction(deferred: false);
                using var command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL PRIMARY KEY, applied_at TEXT NOT NULL); SELECT COALESCE(MAX(version), 0) FROM schema_version;";
                var current = Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture);
                if (current > Migrations.Latest)
                {
                    throw new AutomationsException(
                        $"The database '{DataSource}' has schema version {current}, newer than version {Migrations.Latest} that this Automations.Sqlite understands. "
                        + "It was written by a newer library; upgrade the package, or open a copy of an older database.");
                }

                foreach (var (version, sql) in Migrations.All)
                {
                    if (version <= current)
                    {
                        continue;
                    }

                    command.CommandText = sql;
                    command.ExecuteNonQuery();
                    command.CommandText = "INSERT INTO schema_version (version, applied_at) VALUES ($version, $at);";
                    command.Parameters.Clear();
                    command.Parameters.AddWithValue("$version", version);
                    command.Parameters.AddWithValue("$at", _time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture));
                    command.ExecuteNonQuery();
                    command.Parameters.Clear();
                }

                transaction.Commit();
            }

            _migrated = true;
        }
    }
}

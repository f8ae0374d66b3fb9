namespace Automations.Sqlite;

/// <summary>Settings of the SQLite stores (see <see cref="SqliteAutomationsDatabase"/>).</summary>
public sealed class SqliteStoreOptions
{
    /// <summary>The longest <see cref="BusyTimeout"/> accepted.</summary>
    public static readonly TimeSpan MaxBusyTimeout = TimeSpan.FromMinutes(10);

    /// <summary>
    /// The Microsoft.Data.Sqlite connection string naming a database file, e.g. <c>Data Source=automations.db</c>.
    /// The file is created when missing. Required.
    /// </summary>
    public string ConnectionString { get; set; } = string.Empty;

    /// <summary>
    /// How hard each commit is pushed to disk. <see cref="SqliteSynchronousMode.Full"/> (the default) loses no
    /// committed write even on power loss; <see cref="SqliteSynchronousMode.Normal"/> is faster and still safe
    /// when only the process crashes, but the last commits can be lost if the machine loses power.
    /// </summary>
    public SqliteSynchronousMode Synchronous { get; set; } = SqliteSynchronousMode.Full;

    /// <summary>
    /// How long a write waits for another process holding the database's write lock before failing. Several
    /// processes on one host may share the file. Default 30 s; at most <see cref="MaxBusyTimeout"/>.
    /// </summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>SQLite's <c>PRAGMA synchronous</c> setting for the stores (always with WAL journaling).</summary>
public enum SqliteSynchronousMode
{
    /// <summary><c>synchronous=FULL</c>: every commit is durable, even across power loss. The default.</summary>
    Full = 0,

    /// <summary>
    /// <c>synchronous=NORMAL</c>: commits survive a process crash; the last ones may be rolled back after a power
    /// loss or OS crash. Faster.
    /// </summary>
    Normal = 1,
}

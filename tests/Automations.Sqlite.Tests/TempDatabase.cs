using Automations.Sqlite;
using Microsoft.Data.Sqlite;

namespace Automations.Sqlite.Tests;

/// <summary>A real SQLite file in a fresh temp directory, deleted (after clearing the connection pools) on dispose.</summary>
internal sealed class TempDatabase : IDisposable
{
    public TempDatabase(SqliteSynchronousMode synchronous = SqliteSynchronousMode.Full)
    {
        Directory = Path.Combine(Path.GetTempPath(), "automations-sqlite-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        Path_ = System.IO.Path.Combine(Directory, "automations.db");
        ConnectionString = $"Data Source={Path_}";
        Database = new SqliteAutomationsDatabase(new SqliteStoreOptions { ConnectionString = ConnectionString, Synchronous = synchronous });
    }

    public string Directory { get; }

    public string Path_ { get; }

    public string ConnectionString { get; }

    public SqliteAutomationsDatabase Database { get; }

    /// <summary>Another entry point on the same file, as a second process would have.</summary>
    public SqliteAutomationsDatabase OpenAnother(SqliteSynchronousMode synchronous = SqliteSynchronousMode.Full)
        => new(new SqliteStoreOptions { ConnectionString = ConnectionString, Synchronous = synchronous });

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leaked temp directory must not fail a test.
        }
    }
}

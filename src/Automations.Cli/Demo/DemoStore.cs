using Automations.Core.DependencyInjection;
using Automations.Core.Secrets;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Automations.Cli.Demo;

/// <summary>
/// The demo's choice of store, in one place: the durable SQLite store (<c>UseSqlite</c>), as a host would use it,
/// in a database file under a new temporary directory that <see cref="Dispose"/> deletes. Team secrets are kept
/// in that file encrypted under a key ring generated for this run only (a real host keeps its keys outside the
/// database, see <c>automations secret-key</c>). To run the demo on the in-memory stores instead, make
/// <see cref="Configure"/> register nothing.
/// </summary>
internal sealed class DemoStore : IDisposable
{
    /// <summary>How the store is described in the demo's output.</summary>
    public const string Description = "SQLite store";

    private DemoStore(string directory, string databasePath)
    {
        Directory = directory;
        DatabasePath = databasePath;
    }

    /// <summary>The temporary directory holding the database file (and its WAL files).</summary>
    public string Directory { get; }

    /// <summary>The database file.</summary>
    public string DatabasePath { get; }

    /// <summary>Registers the demo's stores and a per-run key ring on the engine's builder.</summary>
    /// <param name="automations">The builder returned by <c>AddAutomations</c>.</param>
    /// <returns>The store, to be disposed (which deletes the file) once the host is disposed.</returns>
    public static DemoStore Configure(AutomationsBuilder automations)
    {
        ArgumentNullException.ThrowIfNull(automations);
        var directory = Path.Combine(Path.GetTempPath(), "automations-demo-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        var store = new DemoStore(directory, Path.Combine(directory, "automations.db"));
        try
        {
            automations
                .UseSqlite(new SqliteConnectionStringBuilder { DataSource = store.DatabasePath }.ToString())
                .ConfigureSecrets(o =>
                {
                    o.CurrentKeyId = "demo";
                    o.Keys["demo"] = SecretKeyRing.GenerateKey();
                });
            return store;
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    /// <summary>The bytes of every file the database consists of right now (the file, its WAL and shared memory).</summary>
    /// <returns>One array per file.</returns>
    public IEnumerable<byte[]> ReadFiles() => System.IO.Directory.EnumerateFiles(Directory).Select(File.ReadAllBytes);

    /// <summary>Deletes the temporary directory, after closing the pooled connections that keep the file open.</summary>
    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Best effort: a file left in the temp directory must not fail the demo.
        }
    }
}

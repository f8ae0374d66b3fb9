using Automations.Core.Abstractions;
using Automations.Testing;

namespace Automations.Sqlite.Tests;

public sealed class SqliteDeliveryStoreTests : DeliveryStoreConformanceTests, IDisposable
{
    private readonly List<TempDatabase> _databases = [];

    protected override IDeliveryStore CreateStore()
    {
        var db = new TempDatabase();
        _databases.Add(db);
        return new SqliteDeliveryStore(db.Database);
    }

    public void Dispose() => _databases.ForEach(d => d.Dispose());
}

public sealed class SqliteAutomationStoreTests : AutomationStoreConformanceTests, IDisposable
{
    private readonly List<TempDatabase> _databases = [];

    protected override IAutomationStore CreateStore()
    {
        var db = new TempDatabase();
        _databases.Add(db);
        return new SqliteAutomationStore(db.Database);
    }

    public void Dispose() => _databases.ForEach(d => d.Dispose());
}

public sealed class SqliteExecutionHistoryStoreTests : HistoryStoreConformanceTests, IDisposable
{
    private readonly List<TempDatabase> _databases = [];

    protected override IExecutionHistoryStore CreateStore()
    {
        var db = new TempDatabase();
        _databases.Add(db);
        return new SqliteExecutionHistoryStore(db.Database);
    }

    public void Dispose() => _databases.ForEach(d => d.Dispose());
}

public sealed class SqliteIntegrationStoreTests : IntegrationStoreConformanceTests, IDisposable
{
    private readonly List<TempDatabase> _databases = [];

    protected override IIntegrationStore CreateStore()
    {
        var db = new TempDatabase();
        _databases.Add(db);
        return new SqliteIntegrationStore(db.Database);
    }

    public void Dispose() => _databases.ForEach(d => d.Dispose());
}

public sealed class SqliteSecretStoreTests : SecretStoreConformanceTests, IDisposable
{
    private readonly List<TempDatabase> _databases = [];

    protected override ISecretStore CreateStore()
    {
        var db = new TempDatabase();
        _databases.Add(db);
        return new SqliteSecretStore(db.Database);
    }

    public void Dispose() => _databases.ForEach(d => d.Dispose());
}

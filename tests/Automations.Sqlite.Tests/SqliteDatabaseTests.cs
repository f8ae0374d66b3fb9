using Automations.Core.Abstractions;
using Automations.Core.Domain;
using Automations.Core.Domain.Deliveries;
using Automations.Sqlite.Internal;
using Automations.Testing;
using Microsoft.Data.Sqlite;
using static Automations.Testing.StoreSamples;

namespace Automations.Sqlite.Tests;

public sealed class SqliteDatabaseTests : IDisposable
{
    private readonly TempDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Theory]
    [InlineData(SqliteSynchronousMode.Full, 2L)]
    [InlineData(SqliteSynchronousMode.Normal, 1L)]
    public void Write_connections_use_wal_the_chosen_synchronous_mode_and_a_busy_timeout(SqliteSynchronousMode mode, long expected)
    {
        var database = _db.OpenAnother(mode);
        using var connection = database.OpenForWrite();

        Assert.Equal("wal", Pragma(connection, "journal_mode"));
        Assert.Equal(expected, Pragma(connection, "synchronous"));
        Assert.Equal(30_000L, Pragma(connection, "busy_timeout"));
        Assert.Equal(mode, database.Synchronous);
    }

    [Fact]
    public async Task The_schema_is_created_once_and_its_version_recorded()
    {
        await _db.Database.MigrateAsync();
        await _db.OpenAnother().MigrateAsync();

        using var connection = _db.Database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT group_concat(version) FROM schema_version;";
        Assert.Equal("1,2,3", command.ExecuteScalar());
        Assert.Equal(3, SqliteAutomationsDatabase.SchemaVersion);
    }

    [Fact]
    public async Task A_version_1_file_is_upgraded_to_the_latest_schema_and_keeps_its_rows()
    {
        // The file as the first release left it: migration 1 only, with an automation in it.
        var automation = Automation("kept", id: "aut_kept");
        using (var connection = new SqliteConnection(_db.ConnectionString))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE schema_version (version INTEGER NOT NULL PRIMARY KEY, applied_at TEXT NOT NULL); "
                + Migrations.All.Single(m => m.Version == 1).Sql
                + " INSERT INTO schema_version (version, applied_at) VALUES (1, 'then');"
                + " INSERT INTO automations (id, entity, scope_key, name, event_type, collection, enabled, revision, created_at, updated_at, body)"
                + " VALUES ($id, 'acme', $scope, 'kept', $type, NULL, 1, 1, 0, 0, $body);";
            command.Parameters.AddWithValue("$id", automation.Id);
            command.Parameters.AddWithValue("$scope", ScopeKeys.For(automation.Scope));
            command.Parameters.AddWithValue("$type", (int)automation.Trigger.EventType);
            command.Parameters.AddWithValue("$body", Automations.Core.Serialization.AutomationJson.Serialize(automation));
            command.ExecuteNonQuery();
        }

        SqliteConnection.ClearAllPools();
        var upgraded = _db.OpenAnother();
        await upgraded.MigrateAsync();

        using (var connection = upgraded.Open())
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT group_concat(version) FROM schema_version;";
            Assert.Equal("1,2,3", command.ExecuteScalar());
        }

        Assert.Equal("kept", (await new SqliteAutomationStore(upgraded).GetAsync("aut_kept"))!.Name);
        var integrations = new SqliteIntegrationStore(upgraded);
        Assert.Equal(StoreWriteResult.Applied, await integrations.AddAsync(Automations.Core.Domain.Integrations.WebhookIntegration.Create("i1", "acme", "ci", "https://ci.example.com/h")));
        Assert.Equal("ci", (await integrations.GetAsync("i1"))!.Name);
    }

    [Fact]
    public async Task Reading_a_row_edited_into_an_invalid_state_is_a_clear_error_naming_the_row()
    {
        var secrets = new SqliteSecretStore(_db.Database);
        var integrations = new SqliteIntegrationStore(_db.Database);
        await secrets.AddAsync(new Automations.Core.Domain.Secrets.SecretRecord("s1", "acme", "TOKEN", new Automations.Core.Domain.Secrets.SecretCiphertext("k1", [1, 2, 3]), T0, T0));
        await integrations.AddAsync(Automations.Core.Domain.Integrations.WebhookIntegration.Create("i1", "acme", "ci", "https://ci.example.com/h"));
        using (var connection = _db.Database.OpenForWrite())
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "UPDATE secrets SET name = 'not a name!'; UPDATE webhook_integrations SET url = 'ftp://ci.example.com/h';";
            command.ExecuteNonQuery();
        }

        var secretError = await Assert.ThrowsAsync<AutomationsException>(async () => await secrets.GetAsync("s1"));
        var integrationError = await Assert.ThrowsAsync<AutomationsException>(async () => await integrations.ListAsync("acme"));

        Assert.Contains("stored secret 's1'", secretError.Message, StringComparison.Ordinal);
        Assert.Contains("stored webhook integration 'i1'", integrationError.Message, StringComparison.Ordinal);
        Assert.Equal("SqliteSecretStore (" + _db.Path_ + ")", secrets.ToString());
    }

    [Fact]
    public async Task A_newer_schema_is_refused_with_a_clear_error()
    {
        await _db.Database.MigrateAsync();
        using (var connection = _db.Database.OpenForWrite())
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "INSERT INTO schema_version (version, applied_at) VALUES (99, 'later');";
            command.ExecuteNonQuery();
        }

        var newer = _db.OpenAnother();
        var ex = await Assert.ThrowsAsync<AutomationsException>(async () => await newer.MigrateAsync());
        Assert.Contains("schema version 99", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"newer than version {SqliteAutomationsDatabase.SchemaVersion}", ex.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<AutomationsException>(async () => await new SqliteDeliveryStore(newer).CountPendingAsync());
    }

    [Fact]
    public void Bad_settings_are_reported_together_without_echoing_the_connection_string()
    {
        var ex = Assert.Throws<AutomationValidationException>(() => new SqliteAutomationsDatabase(new SqliteStoreOptions
        {
            ConnectionString = "Data Source=x.db;Password=hunter2;Bogus Key=1",
            BusyTimeout = TimeSpan.Zero,
            Synchronous = (SqliteSynchronousMode)7,
        }));

        Assert.Equal(["connectionString", "synchronous", "busyTimeout"], ex.Problems.Select(p => p.Path));
        Assert.DoesNotContain("hunter2", ex.Message, StringComparison.Ordinal);
        Assert.Throws<AutomationValidationException>(() => new SqliteAutomationsDatabase("Data Source=:memory:"));
        Assert.Throws<AutomationValidationException>(() => new SqliteAutomationsDatabase(" "));
    }

    [Fact]
    public async Task Committed_writes_survive_a_new_entry_point_on_the_same_file()
    {
        var e = Event("e1");
        await new SqliteDeliveryStore(_db.Database).PublishAsync(e, [StoreSamples.Delivery(e, "d1")]);
        await new SqliteAutomationStore(_db.Database).AddAsync(Automation("a", id: "aut_a"));
        SqliteConnection.ClearAllPools();

        var reopened = _db.OpenAnother();

        Assert.Equal("e1", (await new SqliteDeliveryStore(reopened).GetAsync("d1"))!.Event.EventId);
        Assert.Equal("a", (await new SqliteAutomationStore(reopened).GetAsync("aut_a"))!.Name);
    }

    [Fact]
    public async Task Candidate_lookup_and_claims_are_answered_from_indexes()
    {
        await _db.Database.MigrateAsync();
        using var connection = _db.Database.Open();

        var candidates = Plan(connection, SqliteAutomationStore.Candidates, ("$entity", "E:acme"), ("$container", "P:acme/vision"), ("$collection", "C:P:acme/vision/ds"), ("$type", 1), ("$name", "ds"));
        var claim = Plan(connection, SqliteDeliveryStore.ClaimQuery, ("$now", 0L), ("$max", 10));
        var latest = Plan(connection, SqliteExecutionHistoryStore.Latest, ("$key", "aut_1"));

        Assert.Contains("USING INDEX ix_automations_candidates", candidates, StringComparison.Ordinal);
        Assert.DoesNotContain("SCAN automations", candidates, StringComparison.Ordinal);
        Assert.Contains("USING INDEX ix_deliveries_queue", claim, StringComparison.Ordinal);
        Assert.Contains("USING INDEX ix_history_automation_at", latest, StringComparison.Ordinal);
        Assert.DoesNotContain("TEMP B-TREE", latest, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Claimers_in_two_processes_never_share_a_live_lease()
    {
        // Two entry points on one file have separate in-process gates, so only SQLite's own lock (BEGIN
        // IMMEDIATE + busy timeout) keeps them apart, as it does for two processes.
        var first = new SqliteDeliveryStore(_db.Database);
        var second = new SqliteDeliveryStore(_db.OpenAnother());
        var batch = Enumerable.Range(0, 200).Select(i => Event($"e{i}")).Select((e, i) => new PlannedEvent(e, [StoreSamples.Delivery(e, $"d{i}")])).ToList();
        await first.PublishManyAsync(batch);

        var claims = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
        {
            var store = i % 2 == 0 ? first : second;
            var mine = new List<string>();
            while (true)
            {
                var leases = await store.ClaimDueAsync(T0, 5, TimeSpan.FromMinutes(1));
                if (leases.Count == 0)
                {
                    return mine;
                }

                mine.AddRange(leases.Select(l => l.Delivery.Id));
            }
        })));
        var ids = claims.SelectMany(c => c).ToList();

        Assert.Equal(200, ids.Count);
        Assert.Equal(200, ids.Distinct().Count());
        Assert.Equal(200, await second.CountPendingAsync());
        Assert.All((await second.ListByAutomationAsync("aut_1", DeliveryStatus.Pending, new PageRequest(1000))).Items, d => Assert.Equal(1, d.Attempts));
    }

    [Fact]
    public async Task A_failing_write_among_concurrent_writes_rolls_back_only_itself()
    {
        var store = new SqliteDeliveryStore(_db.Database);
        var used = Event("used");
        await store.PublishAsync(used, [StoreSamples.Delivery(used, "taken")]);

        var writes = Enumerable.Range(0, 20).Select(i =>
        {
            var e = Event($"e{i}");
            return Task.Run(async () => await store.PublishAsync(e, [StoreSamples.Delivery(e, i == 7 ? "taken" : $"d{i}")]));
        }).ToList();
        var outcomes = await Task.WhenAll(writes.Select(async w =>
        {
            try
            {
                return await w ? "new" : "duplicate";
            }
            catch (InvalidOperationException)
            {
                return "refused";
            }
        }));

        Assert.Equal("refused", outcomes[7]);
        Assert.Equal(19, outcomes.Count(o => o == "new"));
        Assert.Equal(20, await store.CountPendingAsync());
        Assert.Equal("used", (await store.GetAsync("taken"))!.Event.EventId);
        Assert.True(await store.PublishAsync(Event("e7"), []));
    }

    private static object? Pragma(SqliteConnection connection, string name)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA {name};";
        return command.ExecuteScalar();
    }

    private static string Plan(SqliteConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        using var reader = command.ExecuteReader();
        var lines = new List<string>();
        while (reader.Read())
        {
            lines.Add(reader.GetString(3));
        }

        return string.Join("\n", lines);
    }
}

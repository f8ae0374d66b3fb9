using Automations.Core.Abstractions;
using Automations.Core.Domain.Deliveries;
using Automations.Core.Domain.Events;
using Automations.Sqlite.Internal;
using Microsoft.Data.Sqlite;

namespace Automations.Sqlite;

/// <summary>
/// The execution history on SQLite: one row per attempt or suppression, listed newest first (by insertion
/// order), indexed by automation and by delivery.
/// </summary>
public sealed class SqliteExecutionHistoryStore : IExecutionHistoryStore
{
    private const string Columns = "seq, id, delivery_id, automation_id, entity, event_id, event_type, at, attempt, status, target, request_body, response_status, response_body, error, duration_ticks";

    /// <summary>
    /// The automation's row with the latest time (ties: the last appended), answered from
    /// <c>ix_history_automation_at</c>. Not simply the last appended: a worker can record an attempt before the
    /// engine's "pending" row for the same delivery is committed.
    /// </summary>
    internal const string Latest = $"SELECT {Columns} FROM execution_history WHERE automation_id = $key ORDER BY at DESC, seq DESC LIMIT 1;";

    private readonly SqliteAutomationsDatabase _database;

    /// <summary>Creates the store.</summary>
    /// <param name="database">The database.</param>
    public SqliteExecutionHistoryStore(SqliteAutomationsDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
    }

    /// <inheritdoc />
    public ValueTask AppendAsync(ExecutionRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        return AppendManyAsync([record], cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>The rows are written in one transaction.</remarks>
    public ValueTask AppendManyAsync(IReadOnlyList<ExecutionRecord> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        cancellationToken.ThrowIfCancellationRequested();
        if (records.Count == 0)
        {
            return ValueTask.CompletedTask;
        }

        foreach (var record in records)
        {
            ArgumentNullException.ThrowIfNull(record);
        }

        return new ValueTask(_database.WriteAsync((connection, transaction) =>
        {
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText =
                "INSERT INTO execution_history (id, delivery_id, automation_id, entity, event_id, event_type, at, attempt, status, target, request_body, response_status, response_body, error, duration_ticks) "
                + "VALUES ($id, $delivery, $automation, $entity, $event, $type, $at, $attempt, $status, $target, $request, $responseStatus, $response, $error, $duration);";
            var p = new SqliteParameter[15];
            string[] names = ["$id", "$delivery", "$automation", "$entity", "$event", "$type", "$at", "$attempt", "$status", "$target", "$request", "$responseStatus", "$response", "$error", "$duration"];
            for (var i = 0; i < names.Length; i++)
            {
                p[i] = command.Parameters.AddWithValue(names[i], DBNull.Value); // no fixed type: inferred from each value
            }

            foreach (var r in records)
            {
                p[0].Value = r.Id;
                p[1].Value = r.DeliveryId;
                p[2].Value = r.AutomationId;
                p[3].Value = r.Entity;
                p[4].Value = r.EventId;
                p[5].Value = (int)r.EventType;
                p[6].Value = Times.ToDb(r.At);
                p[7].Value = r.Attempt;
                p[8].Value = (int)r.Status;
                p[9].Value = (object?)r.Target ?? DBNull.Value;
                p[10].Value = (object?)r.RequestBody ?? DBNull.Value;
                p[11].Value = r.ResponseStatus is { } s ? s : DBNull.Value;
                p[12].Value = (object?)r.ResponseBody ?? DBNull.Value;
                p[13].Value = (object?)r.Error ?? DBNull.Value;
                p[14].Value = r.Duration is { } d ? d.Ticks : DBNull.Value;
                command.ExecuteNonQuery();
            }

            return records.Count;
        }));
    }

    /// <inheritdoc />
    public ValueTask<Page<ExecutionRecord>> ListByAutomationAsync(string automationId, PageRequest page, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(automationId);
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(List("automation_id", automationId, page));
    }

    /// <inheritdoc />
    public ValueTask<Page<ExecutionRecord>> ListByDeliveryAsync(string deliveryId, PageRequest page, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(deliveryId);
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(List("delivery_id", deliveryId, page));
    }

    /// <inheritdoc />
    public ValueTask<ExecutionRecord?> GetLatestAsync(string automationId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(automationId);
        cancellationToken.ThrowIfCancellationRequested();
        using var connection = _database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = Latest;
        command.Parameters.AddWithValue("$key", automationId);
        using var reader = command.ExecuteReader();
        return ValueTask.FromResult(reader.Read() ? Read(reader) : null);
    }

    private Page<ExecutionRecord> List(string column, string key, PageRequest page)
    {
        var before = PageTokens.DecodeSequence(page.PageToken) ?? long.MaxValue;
        var size = page.EffectivePageSize;
        using var connection = _database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM execution_history WHERE {column} = $key AND seq < $before ORDER BY seq DESC LIMIT $limit;";
        command.Parameters.AddWithValue("$key", key);
        command.Parameters.AddWithValue("$before", before);
        command.Parameters.AddWithValue("$limit", size + 1);
        var rows = new List<(long Seq, ExecutionRecord Record)>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                rows.Add((reader.GetInt64(0), Read(reader)));
            }
        }

        if (rows.Count <= size)
        {
            return new Page<ExecutionRecord>(rows.ConvertAll(r => r.Record), null);
        }

        rows.RemoveAt(size);
        return new Page<ExecutionRecord>(rows.ConvertAll(r => r.Record), PageTokens.EncodeSequence(rows[^1].Seq));
    }

    private static ExecutionRecord Read(SqliteDataReader reader) => new()
    {
        Id = reader.GetString(1),
        DeliveryId = reader.GetString(2),
        AutomationId = reader.GetString(3),
        Entity = reader.GetString(4),
        EventId = reader.GetString(5),
        EventType = (ArtifactEventType)reader.GetInt32(6),
        At = Times.FromDb(reader.GetInt64(7)),
        Attempt = reader.GetInt32(8),
        Status = (ExecutionStatus)reader.GetInt32(9),
        Target = reader.IsDBNull(10) ? null : reader.GetString(10),
        RequestBody = reader.IsDBNull(11) ? null : reader.GetString(11),
        ResponseStatus = reader.IsDBNull(12) ? null : reader.GetInt32(12),
        ResponseBody = reader.IsDBNull(13) ? null : reader.GetString(13),
        Error = reader.IsDBNull(14) ? null : reader.GetString(14),
        Duration = reader.IsDBNull(15) ? null : TimeSpan.FromTicks(reader.GetInt64(15)),
    };
}

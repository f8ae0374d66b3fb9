using Automations.Core.Abstractions;
using Automations.Core.Domain.Deliveries;
using Automations.Core.Domain.Events;
using Automations.Core.Serialization;
using Automations.Sqlite.Internal;
using Microsoft.Data.Sqlite;

namespace Automations.Sqlite;

/// <summary>
/// The durable delivery queue on SQLite. Publishing writes the event and all its deliveries in one
/// transaction (a batch in one transaction), idempotent on the event id (a unique constraint); claims run in
/// <c>BEGIN IMMEDIATE</c> transactions, count the attempt and set a lease token and expiry; completions are
/// fenced by the lease token. A claimed delivery becomes claimable again when its lease lapses, so a process
/// killed mid-attempt loses nothing: another (or the restarted) worker retries it with the same delivery id.
/// </summary>
public sealed class SqliteDeliveryStore : IDeliveryStore
{
    private const string SelectDelivery =
        "SELECT d.seq, d.id, d.automation_body, d.status, d.attempts, d.created_at, d.due_at, d.completed_at, d.last_error, d.event_seq, e.body "
        + "FROM deliveries d JOIN events e ON e.seq = d.event_seq ";

    internal const string ClaimQuery = SelectDelivery + "WHERE d.status = 0 AND d.next_at <= $now ORDER BY d.next_at, d.seq LIMIT $max;";

    private readonly SqliteAutomationsDatabase _database;

    /// <summary>Creates the store.</summary>
    /// <param name="database">The database.</param>
    public SqliteDeliveryStore(SqliteAutomationsDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
    }

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">A delivery id is already used; nothing was written.</exception>
    public ValueTask<bool> PublishAsync(ArtifactEvent artifactEvent, IReadOnlyList<Delivery> deliveries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(artifactEvent);
        ArgumentNullException.ThrowIfNull(deliveries);
        cancellationToken.ThrowIfCancellationRequested();
        return PublishOneAsync(new PlannedEvent(artifactEvent, deliveries));
    }

    /// <inheritdoc />
    /// <remarks>The whole batch is one transaction: all of it is written, or (on error) none of it.</remarks>
    /// <exception cref="InvalidOperationException">A delivery id is already used; nothing was written.</exception>
    public ValueTask<IReadOnlyList<bool>> PublishManyAsync(IReadOnlyList<PlannedEvent> batch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        cancellationToken.ThrowIfCancellationRequested();
        return new ValueTask<IReadOnlyList<bool>>(PublishBatchAsync(batch));
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<DeliveryLease>> ClaimDueAsync(DateTimeOffset now, int maxCount, TimeSpan leaseDuration, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(leaseDuration, TimeSpan.Zero);
        cancellationToken.ThrowIfCancellationRequested();
        var expiresAt = now + leaseDuration;
        return new ValueTask<IReadOnlyList<DeliveryLease>>(_database.WriteAsync<IReadOnlyList<DeliveryLease>>((connection, transaction) => Claim(connection, transaction, now, maxCount, expiresAt)));
    }

    /// <inheritdoc />
    public ValueTask<bool> CompleteAsync(DeliveryLease lease, DeliveryCompletion completion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentNullException.ThrowIfNull(completion);
        cancellationToken.ThrowIfCancellationRequested();
        string sql;
        switch (completion.Status)
        {
            case DeliveryStatus.Pending:
                sql = "UPDATE deliveries SET due_at = $at, next_at = $at, last_error = $error, lease_token = NULL, lease_expires_at = NULL "
                      + "WHERE id = $id AND lease_token = $token AND status = 0;";
                break;
            case DeliveryStatus.Succeeded or DeliveryStatus.Dead:
                sql = "UPDATE deliveries SET status = $status, completed_at = $at, last_error = $error, lease_token = NULL, lease_expires_at = NULL "
                      + "WHERE id = $id AND lease_token = $token AND status = 0;";
                break;
            default:
                throw new ArgumentException($"A completion cannot set status {completion.Status}.", nameof(completion));
        }

        var at = completion.Status == DeliveryStatus.Pending ? completion.RetryAt ?? completion.CompletedAt : completion.CompletedAt;
        return ChangedOneAsync(ExecuteWriteAsync(sql, command =>
        {
            command.Parameters.AddWithValue("$id", lease.Delivery.Id);
            command.Parameters.AddWithValue("$token", lease.Token.ToString("N"));
            command.Parameters.AddWithValue("$at", Times.ToDb(at));
            command.Parameters.AddWithValue("$error", (object?)completion.Error ?? DBNull.Value);
            command.Parameters.AddWithValue("$status", (int)completion.Status);
        }));
    }

    /// <inheritdoc />
    public ValueTask<bool> ReleaseAsync(DeliveryLease lease, DateTimeOffset dueAt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        cancellationToken.ThrowIfCancellationRequested();
        const string sql = "UPDATE deliveries SET attempts = attempts - 1, due_at = $due, next_at = $due, lease_token = NULL, lease_expires_at = NULL "
                           + "WHERE id = $id AND lease_token = $token AND status = 0;";
        return ChangedOneAsync(ExecuteWriteAsync(sql, command =>
        {
            command.Parameters.AddWithValue("$id", lease.Delivery.Id);
            command.Parameters.AddWithValue("$token", lease.Token.ToString("N"));
            command.Parameters.AddWithValue("$due", Times.ToDb(dueAt));
        }));
    }

    /// <inheritdoc />
    public ValueTask<bool> RedeliverAsync(string deliveryId, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(deliveryId);
        cancellationToken.ThrowIfCancellationRequested();
        const string sql = "UPDATE deliveries SET status = 0, due_at = $now, next_at = $now, completed_at = NULL, lease_token = NULL, lease_expires_at = NULL "
                           + "WHERE id = $id AND status = 2;";
        return ChangedOneAsync(ExecuteWriteAsync(sql, command =>
        {
            command.Parameters.AddWithValue("$id", deliveryId);
            command.Parameters.AddWithValue("$now", Times.ToDb(now));
        }));
    }

    /// <inheritdoc />
    public ValueTask<Delivery?> GetAsync(string deliveryId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(deliveryId);
        cancellationToken.ThrowIfCancellationRequested();
        using var connection = _database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = SelectDelivery + "WHERE d.id = $id;";
        command.Parameters.AddWithValue("$id", deliveryId);
        var rows = ReadDeliveries(command);
        return ValueTask.FromResult(rows.Count == 0 ? null : rows[0].Delivery);
    }

    /// <inheritdoc />
    public ValueTask<Page<Delivery>> ListByAutomationAsync(string automationId, DeliveryStatus? status, PageRequest page, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(automationId);
        cancellationToken.ThrowIfCancellationRequested();
        var before = PageTokens.DecodeSequence(page.PageToken) ?? long.MaxValue;
        var size = page.EffectivePageSize;
        using var connection = _database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = SelectDelivery
            + (status is null ? "WHERE d.automation_id = $automation " : "WHERE d.automation_id = $automation AND d.status = $status ")
            + "AND d.seq < $before ORDER BY d.seq DESC LIMIT $limit;";
        command.Parameters.AddWithValue("$automation", automationId);
        command.Parameters.AddWithValue("$before", before);
        command.Parameters.AddWithValue("$limit", size + 1);
        if (status is not null)
        {
            command.Parameters.AddWithValue("$status", (int)status.Value);
        }

        var rows = ReadDeliveries(command);
        if (rows.Count <= size)
        {
            return ValueTask.FromResult(new Page<Delivery>(rows.ConvertAll(r => r.Delivery), null));
        }

        rows.RemoveAt(size);
        return ValueTask.FromResult(new Page<Delivery>(rows.ConvertAll(r => r.Delivery), PageTokens.EncodeSequence(rows[^1].Seq)));
    }

    /// <inheritdoc />
    public ValueTask<long> CountPendingAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var connection = _database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM deliveries WHERE status = 0;";
        return ValueTask.FromResult((long)command.ExecuteScalar()!);
    }

    private async ValueTask<bool> PublishOneAsync(PlannedEvent item) => (await PublishBatchAsync([item]).ConfigureAwait(false))[0];

    private async Task<IReadOnlyList<bool>> PublishBatchAsync(IReadOnlyList<PlannedEvent> batch)
    {
        if (batch.Count == 0)
        {
            return [];
        }

        foreach (var item in batch)
        {
            ArgumentNullException.ThrowIfNull(item);
            ArgumentNullException.ThrowIfNull(item.Event);
            ArgumentNullException.ThrowIfNull(item.Deliveries);
        }

        // Serialise outside the write group: only the inserts run while the database is locked.
        var eventBodies = new string[batch.Count];
        for (var i = 0; i < batch.Count; i++)
        {
            eventBodies[i] = AutomationJson.Serialize(batch[i].Event);
            foreach (var delivery in batch[i].Deliveries)
            {
                _database.BodyOf(delivery.Automation);
            }
        }

        return await _database.WriteAsync((connection, transaction) => Publish(connection, transaction, batch, eventBodies)).ConfigureAwait(false);
    }

    private bool[] Publish(SqliteConnection connection, SqliteTransaction transaction, IReadOnlyList<PlannedEvent> batch, string[] eventBodies)
    {
        var results = new bool[batch.Count];
        {
            using var insertEvent = connection.CreateCommand();
            insertEvent.Transaction = transaction;
            insertEvent.CommandText = "INSERT INTO events (event_id, event_type, entity, occurred_at, body) VALUES ($id, $type, $entity, $at, $body) "
                                      + "ON CONFLICT (event_id) DO NOTHING RETURNING seq;";
            var eventId = insertEvent.Parameters.Add("$id", SqliteType.Text);
            var eventType = insertEvent.Parameters.Add("$type", SqliteType.Integer);
            var eventEntity = insertEvent.Parameters.Add("$entity", SqliteType.Text);
            var eventAt = insertEvent.Parameters.Add("$at", SqliteType.Integer);
            var eventBody = insertEvent.Parameters.Add("$body", SqliteType.Text);

            using var insertDelivery = connection.CreateCommand();
            insertDelivery.Transaction = transaction;
            insertDelivery.CommandText =
                "INSERT INTO deliveries (id, event_seq, automation_id, automation_body, status, attempts, created_at, due_at, next_at, completed_at, last_error) "
                + "VALUES ($id, $event, $automation, $body, $status, $attempts, $created, $due, $due, $completed, $error);";
            var deliveryId = insertDelivery.Parameters.Add("$id", SqliteType.Text);
            var deliveryEvent = insertDelivery.Parameters.Add("$event", SqliteType.Integer);
            var automationId = insertDelivery.Parameters.Add("$automation", SqliteType.Text);
            var automationBody = insertDelivery.Parameters.Add("$body", SqliteType.Text);
            var status = insertDelivery.Parameters.Add("$status", SqliteType.Integer);
            var attempts = insertDelivery.Parameters.Add("$attempts", SqliteType.Integer);
            var created = insertDelivery.Parameters.Add("$created", SqliteType.Integer);
            var due = insertDelivery.Parameters.Add("$due", SqliteType.Integer);
            var completed = insertDelivery.Parameters.Add("$completed", SqliteType.Integer);
            var error = insertDelivery.Parameters.Add("$error", SqliteType.Text);

            for (var i = 0; i < batch.Count; i++)
            {
                var (artifactEvent, deliveries) = batch[i];
                eventId.Value = artifactEvent.EventId;
                eventType.Value = (int)artifactEvent.Type;
                eventEntity.Value = artifactEvent.Entity;
                eventAt.Value = Times.ToDb(artifactEvent.OccurredAt);
                eventBody.Value = eventBodies[i];
                if (insertEvent.ExecuteScalar() is not long seq)
                {
                    continue; // already recorded (earlier, or earlier in this batch)
                }

                results[i] = true;
                foreach (var delivery in deliveries)
                {
                    deliveryId.Value = delivery.Id;
                    deliveryEvent.Value = seq;
                    automationId.Value = delivery.AutomationId;
                    automationBody.Value = _database.BodyOf(delivery.Automation);
                    status.Value = (int)delivery.Status;
                    attempts.Value = delivery.Attempts;
                    created.Value = Times.ToDb(delivery.CreatedAt);
                    due.Value = Times.ToDb(delivery.DueAt);
                    completed.Value = delivery.CompletedAt is { } c ? Times.ToDb(c) : DBNull.Value;
                    error.Value = (object?)delivery.LastError ?? DBNull.Value;
                    try
                    {
                        insertDelivery.ExecuteNonQuery();
                    }
                    catch (SqliteException ex) when (ex.SqliteErrorCode == 19)
                    {
                        // The write is rolled back (its savepoint or transaction): nothing of the batch is written.
                        throw new InvalidOperationException($"Delivery id '{delivery.Id}' is already used.", ex);
                    }
                }
            }
        }

        return results;
    }

    private Task<int> ExecuteWriteAsync(string sql, Action<SqliteCommand> bind)
        => _database.WriteAsync((connection, transaction) =>
        {
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = sql;
            bind(command);
            return command.ExecuteNonQuery();
        });

    private static async ValueTask<bool> ChangedOneAsync(Task<int> write) => await write.ConfigureAwait(false) == 1;

    private List<DeliveryLease> Claim(SqliteConnection connection, SqliteTransaction transaction, DateTimeOffset now, int maxCount, DateTimeOffset expiresAt)
    {
        var rows = new List<(long Seq, Delivery Delivery)>();
        using (var select = connection.CreateCommand())
        {
            select.Transaction = transaction;
            select.CommandText = ClaimQuery;
            select.Parameters.AddWithValue("$now", Times.ToDb(now));
            select.Parameters.AddWithValue("$max", maxCount);
            rows.AddRange(ReadDeliveries(select));
        }

        var leases = new List<DeliveryLease>(rows.Count);
        if (rows.Count == 0)
        {
            return leases;
        }

        using var update = connection.CreateCommand();
        update.Transaction = transaction;
        update.CommandText = "UPDATE deliveries SET attempts = attempts + 1, lease_token = $token, lease_expires_at = $expires, next_at = $expires WHERE seq = $seq;";
        var token = update.Parameters.Add("$token", SqliteType.Text);
        var seq = update.Parameters.Add("$seq", SqliteType.Integer);
        update.Parameters.AddWithValue("$expires", Times.ToDb(expiresAt));
        foreach (var (rowSeq, delivery) in rows)
        {
            var leaseToken = Guid.NewGuid();
            token.Value = leaseToken.ToString("N");
            seq.Value = rowSeq;
            update.ExecuteNonQuery();
            leases.Add(new DeliveryLease(delivery with { Attempts = delivery.Attempts + 1 }, leaseToken, expiresAt));
        }

        return leases;
    }

    private List<(long Seq, Delivery Delivery)> ReadDeliveries(SqliteCommand command)
    {
        var rows = new List<(long, Delivery)>();
        var events = new Dictionary<long, ArtifactEvent>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var eventSeq = reader.GetInt64(9);
            if (!events.TryGetValue(eventSeq, out var artifactEvent))
            {
                artifactEvent = AutomationJson.DeserializeEvent(reader.GetString(10));
                events[eventSeq] = artifactEvent;
            }

            rows.Add((reader.GetInt64(0), new Delivery
            {
                Id = reader.GetString(1),
                Event = artifactEvent,
                Automation = _database.AutomationFromBody(reader.GetString(2)),
                Status = (DeliveryStatus)reader.GetInt32(3),
                Attempts = reader.GetInt32(4),
                CreatedAt = Times.FromDb(reader.GetInt64(5)),
                DueAt = Times.FromDb(reader.GetInt64(6)),
                CompletedAt = reader.IsDBNull(7) ? null : Times.FromDb(reader.GetInt64(7)),
                LastError = reader.IsDBNull(8) ? null : reader.GetString(8),
            }));
        }

        return rows;
    }
}

using System.Collections.Concurrent;
using Automations.Core.Abstractions;

namespace Automations.Core.Storage.InMemory;

/// <summary>
/// An in-memory <see cref="ILaunchQueue"/> for tests and the demo: named queues per team, idempotent on the
/// delivery id. Agents (or tests) take jobs with <see cref="TryDequeue"/>.
/// </summary>
public sealed class InMemoryLaunchQueue : ILaunchQueue
{
    private readonly ConcurrentDictionary<(string Entity, string Queue), ConcurrentQueue<QueuedLaunchJob>> _queues = new();
    private readonly ConcurrentDictionary<string, string> _byKey = new(StringComparer.Ordinal);
    private readonly object _gate = new();

    /// <summary>Creates (or keeps) a queue for a team.</summary>
    /// <param name="entity">The entity (team).</param>
    /// <param name="queue">The queue name.</param>
    public void CreateQueue(string entity, string queue)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(entity);
        ArgumentException.ThrowIfNullOrWhiteSpace(queue);
        _queues.TryAdd((entity, queue), new ConcurrentQueue<QueuedLaunchJob>());
    }

    /// <inheritdoc />
    public ValueTask<bool> QueueExistsAsync(string entity, string queue, CancellationToken cancellationToken = default)
        => ValueTask.FromResult(_queues.ContainsKey((entity, queue)));

    /// <inheritdoc />
    public ValueTask<string> EnqueueAsync(LaunchJobRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var key = (request.Event.Entity, request.Action.QueueName);
        if (!_queues.TryGetValue(key, out var queue))
        {
            throw new InvalidOperationException($"Launch queue '{request.Action.QueueName}' does not exist for team '{request.Event.Entity}'.");
        }

        lock (_gate)
        {
            if (_byKey.TryGetValue(request.IdempotencyKey, out var existing))
            {
                return ValueTask.FromResult(existing);
            }

            var id = "job_" + Automations.Core.Engine.IdGenerator.NewGuid().ToString("N");
            _byKey[request.IdempotencyKey] = id;
            queue.Enqueue(new QueuedLaunchJob(id, request));
            return ValueTask.FromResult(id);
        }
    }

    /// <summary>Takes the oldest job from a queue.</summary>
    /// <param name="entity">The entity (team).</param>
    /// <param name="queue">The queue name.</param>
    /// <param name="job">The job, when there was one.</param>
    /// <returns>Whether a job was taken.</returns>
    public bool TryDequeue(string entity, string queue, out QueuedLaunchJob? job)
    {
        job = null;
        return _queues.TryGetValue((entity, queue), out var q) && q.TryDequeue(out job);
    }
}

/// <summary>A job on an <see cref="InMemoryLaunchQueue"/>.</summary>
/// <param name="Id">The queued item's id.</param>
/// <param name="Request">What was enqueued.</param>
public sealed record QueuedLaunchJob(string Id, LaunchJobRequest Request);

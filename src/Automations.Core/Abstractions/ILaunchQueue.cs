using Automations.Core.Domain.Actions;
using Automations.Core.Domain.Events;

namespace Automations.Core.Abstractions;

/// <summary>A launch job to put on a queue; an agent elsewhere runs it.</summary>
/// <param name="IdempotencyKey">The delivery id: enqueueing the same key twice must enqueue once.</param>
/// <param name="Action">The launch-job action (job, version, overrides, destination project, queue).</param>
/// <param name="Event">The event that triggered it.</param>
public sealed record LaunchJobRequest(string IdempotencyKey, LaunchJobAction Action, ArtifactEvent Event);

/// <summary>The host's launch queues (W&amp;B Launch style). The engine puts jobs on them; agents run them.</summary>
public interface ILaunchQueue
{
    /// <summary>Whether a queue exists for the team (checked when an automation is saved).</summary>
    /// <param name="entity">The entity (team).</param>
    /// <param name="queue">The queue name.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>True when it exists.</returns>
    ValueTask<bool> QueueExistsAsync(string entity, string queue, CancellationToken cancellationToken = default);

    /// <summary>Enqueues a job; idempotent on <see cref="LaunchJobRequest.IdempotencyKey"/>.</summary>
    /// <param name="request">The job.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>An id for the queued item (the same id when the key was seen before).</returns>
    ValueTask<string> EnqueueAsync(LaunchJobRequest request, CancellationToken cancellationToken = default);
}

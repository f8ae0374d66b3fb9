using System.Text.Json;
using Automations.Core.Domain.Artifacts;

namespace Automations.Core.Domain.Actions;

/// <summary>
/// Put a launch job on a named queue: the job, its version, optional hyperparameter overrides and the project the
/// run goes to. An agent elsewhere runs it; the host supplies the queue.
/// </summary>
public sealed class LaunchJobAction : AutomationAction
{
    /// <summary>Creates a validated launch-job action.</summary>
    /// <param name="job">The job name, e.g. <c>team/project/job-train:latest</c> or <c>job-train</c>.</param>
    /// <param name="queue">The queue to put the job on.</param>
    /// <param name="jobVersion">The job version or alias (e.g. <c>v2</c>, <c>latest</c>); null for the default.</param>
    /// <param name="overrides">Hyperparameter overrides as a JSON object; null for none.</param>
    /// <param name="destinationProject">The project the run goes to; null for the automation's project.</param>
    /// <exception cref="AutomationValidationException">A field is missing or invalid (all problems are listed).</exception>
    public LaunchJobAction(string job, string queue, string? jobVersion = null, JsonElement? overrides = null, ArtifactContainer? destinationProject = null)
    {
        var problems = new ValidationProblemCollector();
        Names.CheckText(problems, "job", job, "Job", 512);
        Names.CheckText(problems, "queue", queue, "Queue", 256);
        if (jobVersion is not null)
        {
            Names.CheckLabel(problems, "jobVersion", jobVersion, "Job version");
        }

        if (overrides is { } o && o.ValueKind != JsonValueKind.Object)
        {
            problems.Add("overrides", $"Overrides must be a JSON object (got {o.ValueKind}).");
        }

        if (destinationProject is { Kind: not ArtifactContainerKind.Project })
        {
            problems.Add("destinationProject", "The destination must be a project, not a registry.");
        }

        problems.ThrowIfInvalid();
        Job = job;
        QueueName = queue;
        JobVersion = jobVersion;
        Overrides = overrides?.Clone();
        DestinationProject = destinationProject;
    }

    /// <inheritdoc />
    public override string Kind => ActionKinds.LaunchJob;

    /// <inheritdoc />
    public override string ActionName => Job;

    /// <inheritdoc />
    public override string? Queue => QueueName;

    /// <summary>The job name.</summary>
    public string Job { get; }

    /// <summary>The queue name.</summary>
    public string QueueName { get; }

    /// <summary>The job version or alias; null for the default.</summary>
    public string? JobVersion { get; }

    /// <summary>Hyperparameter overrides (a JSON object), or null.</summary>
    public JsonElement? Overrides { get; }

    /// <summary>The project the run goes to, or null for the automation's project.</summary>
    public ArtifactContainer? DestinationProject { get; }
}

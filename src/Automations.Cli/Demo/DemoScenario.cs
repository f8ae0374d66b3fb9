using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Automations.Core.Abstractions;
using Automations.Core.Domain;
using Automations.Core.Domain.Actions;
using Automations.Core.Domain.Artifacts;
using Automations.Core.Domain.Deliveries;
using Automations.Core.Domain.Events;
using Automations.Core.Domain.Filters;
using Automations.Core.Domain.Integrations;
using Automations.Core.Domain.Scopes;
using Automations.Core.Domain.Triggers;
using Automations.Core.Engine;
using Automations.Core.Signing;
using Automations.Core.Storage.InMemory;
using Automations.Core.Templates;

namespace Automations.Cli.Demo;

/// <summary>
/// The end-to-end demo: a team secret, two signed webhook integrations, three automations (a new model version
/// dispatches a GitHub workflow; a <c>^prod</c> alias posts a Slack notification; a new dataset version queues a
/// training job), a few events, then every delivery as the engine recorded it and the receiver verified it, one
/// delivery that failed once and was retried, the Automations list, and the checks that decide the exit code.
/// </summary>
internal static class DemoScenario
{
    internal const string Entity = "acme";
    private const string Project = "churn-prediction";
    private const string ModelCollection = "churn-model";
    private const string DataCollection = "churn-training-data";
    private const string QueueName = "gpu-queue";
    private const string GitHubPath = "/repos/acme/churn-prediction/dispatches";
    private const string SlackPath = "/services/slack/alerts";
    private const string SigningSecretName = "WEBHOOK_SECRET";
    private const string AccessTokenName = "GITHUB_TOKEN";
    private const string DeployName = "Deploy new churn model";
    private const string AnnounceName = "Announce production alias";
    private const string RetrainName = "Retrain on new data";
    private const string ProdFilter = """{"$or": [{"$and": [{"alias": {"$regex": "^prod"}}]}]}""";

    /// <summary>The demo's team admin.</summary>
    internal const string AdminName = "maria";

    private static readonly AutomationActor Admin = new(AdminName);

    /// <summary>Runs the demo, writing plain text to <paramref name="context"/>'s output.</summary>
    /// <param name="context">Where to write.</param>
    /// <param name="settings">The retry schedule, failures to inject and deadline.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns><see cref="CliApp.Ok"/> when every check passed, else <see cref="CliApp.Negative"/>.</returns>
    public static async Task<int> RunAsync(CliContext context, DemoSettings settings, CancellationToken cancellationToken)
    {
        var output = new DemoOutput(context.Out);
        var checks = new DemoChecks();
        var signingSecret = WebhookSigningKey.GenerateStandardWebhooksSecret();
        var accessToken = "ghp_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(18));
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(settings.Deadline);

        var failFirst = new Dictionary<string, int>(StringComparer.Ordinal) { [SlackPath] = settings.SlackFailuresBeforeSuccess };
        var receiver = await DemoReceiver.StartAsync(signingSecret, accessToken, failFirst, deadline.Token).ConfigureAwait(false);
        await using (receiver.ConfigureAwait(false))
        {
            var queue = new InMemoryLaunchQueue();
            queue.CreateQueue(Entity, QueueName);
            var engine = await DemoEngine.StartAsync(settings, queue, deadline.Token).ConfigureAwait(false);
            await using (engine.ConfigureAwait(false))
            {
                await output.LineAsync("Automations.Core demo: the embedded engine (" + DemoStore.Description + ") delivering to a local receiver").ConfigureAwait(false);
                await output.LineAsync($"  store         {engine.Store.DatabasePath} (SQLite, WAL, synchronous=FULL; deleted at the end)").ConfigureAwait(false);
                await output.LineAsync($"  receiver      {receiver.BaseUri} (Kestrel; loopback targets allowed for this demo only)").ConfigureAwait(false);
                await output.LineAsync($"  retries       {Describe(settings.RetrySchedule)} (the default schedule is now, 5 s, 5 min, 30 min, 2 h ... 24 h)").ConfigureAwait(false);

                var setup = await SetUpAsync(engine, receiver, signingSecret, accessToken, output, deadline.Token).ConfigureAwait(false);
                var published = await PublishAsync(engine, output, checks, deadline.Token).ConfigureAwait(false);
                var finished = await WaitAsync(engine, published.DeliveryIds, deadline.Token).ConfigureAwait(false);
                await ReportDeliveriesAsync(engine, receiver, queue, setup, published, finished, output, checks, cancellationToken).ConfigureAwait(false);
                await ReportListAsync(engine, setup, output, checks, cancellationToken).ConfigureAwait(false);
                await CheckSecretsAsync(engine, setup, output, checks, [signingSecret, accessToken], cancellationToken).ConfigureAwait(false);
            }
        }

        await output.HeadingAsync("Checks").ConfigureAwait(false);
        await output.LinesAsync(checks.Lines()).ConfigureAwait(false);
        await output.LineAsync().ConfigureAwait(false);
        await output.LineAsync(checks.AllPassed
            ? $"Demo OK: all {checks.Count} checks passed."
            : $"Demo FAILED: {checks.FailedCount} of {checks.Count} checks failed.").ConfigureAwait(false);
        return checks.AllPassed ? CliApp.Ok : CliApp.Negative;
    }

    private static async Task<DemoSetup> SetUpAsync(DemoEngine engine, DemoReceiver receiver, string signingSecret, string accessToken, DemoOutput output, CancellationToken cancellationToken)
    {
        await engine.Secrets.CreateAsync(Admin, Entity, SigningSecretName, signingSecret, cancellationToken).ConfigureAwait(false);
        await engine.Secrets.CreateAsync(Admin, Entity, AccessTokenName, accessToken, cancellationToken).ConfigureAwait(false);

        var github = await engine.Integrations.CreateAsync(Admin, new WebhookIntegrationDefinition(
            Entity, "github-dispatch", receiver.Url(GitHubPath).ToString(), SigningSecretName, AccessTokenName), cancellationToken).ConfigureAwait(false);
        var slack = await engine.Integrations.CreateAsync(Admin, new WebhookIntegrationDefinition(
            Entity, "slack-alerts", receiver.Url(SlackPath).ToString(), SigningSecretName, SigningScheme: WebhookSigningScheme.Wandb | WebhookSigningScheme.StandardWebhooks), cancellationToken).ConfigureAwait(false);

        var scope = AutomationScope.ForProject(Entity, Project);
        var deploy = await engine.Automations.CreateAsync(Admin, new AutomationDefinition(
            DeployName,
            new AutomationTrigger(ArtifactEventType.LinkArtifact, scope, collection: ModelCollection),
            new WebhookAction(github.Id, PayloadTemplatePresets.GitHubRepositoryDispatchText)), cancellationToken).ConfigureAwait(false);
        var announce = await engine.Automations.CreateAsync(Admin, new AutomationDefinition(
            AnnounceName,
            new AutomationTrigger(ArtifactEventType.AddArtifactAlias, scope, EventFilter.Parse(ProdFilter)),
            new NotificationAction(slack.Id, "${artifact_collection_name} is in production", "${event_author} added the alias ${alias} to ${artifact_version_string}")), cancellationToken).ConfigureAwait(false);
        var overrides = JsonSerializer.SerializeToElement(new Dictionary<string, object> { ["epochs"] = 20, ["learning_rate"] = 0.001 });
        var retrain = await engine.Automations.CreateAsync(Admin, new AutomationDefinition(
            RetrainName,
            new AutomationTrigger(ArtifactEventType.LinkArtifact, scope, collection: DataCollection),
            new LaunchJobAction($"{Entity}/{Project}/job-train-churn", QueueName, "latest", overrides)), cancellationToken).ConfigureAwait(false);

        await output.LineAsync($"  team secrets  {string.Join(", ", (await engine.Secrets.ListAsync(Admin, Entity, cancellationToken).ConfigureAwait(false)).Select(s => s.Name))} in team '{Entity}' (values are never printed)").ConfigureAwait(false);
        await output.LineAsync($"  launch queue  {Entity}/{QueueName} (in memory)").ConfigureAwait(false);

        await output.HeadingAsync("Webhook integrations").ConfigureAwait(false);
        await output.LinesAsync(TextTable.Format("  ", ["NAME", "URL", "SIGNED WITH", "HEADERS"],
        [
            [github.Name, github.Url.ToString(), SigningSecretName, "X-Wandb-Signature + Authorization: Bearer <" + AccessTokenName + ">"],
            [slack.Name, slack.Url.ToString(), SigningSecretName, "X-Wandb-Signature + Standard Webhooks (webhook-signature)"],
        ])).ConfigureAwait(false);

        await output.HeadingAsync("Automations (project " + scope.Container + ")").ConfigureAwait(false);
        await output.LineAsync($"  {DeployName}: new version in collection {ModelCollection} -> webhook github-dispatch, GitHub repository_dispatch preset").ConfigureAwait(false);
        await output.LineAsync($"  {AnnounceName}: alias added, filter {ProdFilter} -> Slack notification via slack-alerts").ConfigureAwait(false);
        await output.LineAsync($"  {RetrainName}: new version in collection {DataCollection} -> launch job job-train-churn:latest on {QueueName}").ConfigureAwait(false);

        return new DemoSetup(deploy, announce, retrain, github, slack);
    }

    private static async Task<DemoPublished> PublishAsync(DemoEngine engine, DemoOutput output, DemoChecks checks, CancellationToken cancellationToken)
    {
        var project = ArtifactContainer.Project(Entity, Project);
        var model = new ArtifactVersion("1042", ModelCollection, "v4", ["latest"], metadata: new Dictionary<string, JsonElement> { ["auc"] = JsonSerializer.SerializeToElement(0.91) });
        var oldModel = new ArtifactVersion("1041", ModelCollection, "v3");
        var data = new ArtifactVersion("2207", DataCollection, "v12", ["latest"]);
        var now = TimeProvider.System.GetUtcNow();
        var newModel = new ArtifactEvent("evt-001", ArtifactEventType.LinkArtifact, project, ModelCollection, model, "maria", now);
        var events = new (ArtifactEvent Event, int Expected, bool Duplicate, string Why)[]
        {
            (newModel, 1, false, DeployName),
            (new ArtifactEvent("evt-002", ArtifactEventType.LinkArtifact, project, DataCollection, data, "ingest-bot", now), 1, false, RetrainName),
            (new ArtifactEvent("evt-003", ArtifactEventType.AddArtifactAlias, project, ModelCollection, model, "maria", now, alias: "production"), 1, false, AnnounceName),
            (new ArtifactEvent("evt-004", ArtifactEventType.AddArtifactAlias, project, ModelCollection, oldModel, "maria", now, alias: "staging"), 0, false, "alias 'staging' does not match ^prod"),
            (new ArtifactEvent("evt-005", ArtifactEventType.LinkArtifact, ArtifactContainer.Project(Entity, "sandbox"), ModelCollection, model, "maria", now), 0, false, $"project {Entity}/sandbox is outside the automations' scope"),
            (newModel, 0, true, "same event id again: already published, not delivered twice"),
        };

        var rows = new List<IReadOnlyList<string>>();
        var deliveryIds = new List<string>();
        var asExpected = true;
        foreach (var (e, expected, duplicate, why) in events)
        {
            var result = await engine.Engine.PublishAsync(e, cancellationToken).ConfigureAwait(false);
            deliveryIds.AddRange(result.DeliveryIds);
            asExpected &= result.DeliveryIds.Count == expected && result.Duplicate == duplicate;
            var planned = result.DeliveryIds.Count == 0 ? "none: " + why : $"{result.DeliveryIds.Count} delivery: {why}";
            rows.Add([e.EventId, e.Type.ToWireName(), e.Container + "/" + e.Collection, e.Version.Version, e.Alias ?? string.Empty, planned]);
        }

        await output.HeadingAsync("Events published").ConfigureAwait(false);
        await output.LinesAsync(TextTable.Format("  ", ["EVENT", "TYPE", "COLLECTION", "VERSION", "ALIAS", "PLANNED"], rows)).ConfigureAwait(false);
        checks.Add(asExpected, "matching", "3 events planned one delivery each; the non-matching alias, the other project and the duplicate event id planned none");
        return new DemoPublished(deliveryIds);
    }

    private static async Task<IReadOnlyDictionary<string, Delivery>> WaitAsync(DemoEngine engine, IReadOnlyList<string> deliveryIds, CancellationToken cancellationToken)
    {
        var finished = new Dictionary<string, Delivery>(StringComparer.Ordinal);
        try
        {
            while (finished.Count < deliveryIds.Count)
            {
                foreach (var id in deliveryIds.Where(id => !finished.ContainsKey(id)))
                {
                    if (await engine.Deliveries.GetAsync(id, cancellationToken).ConfigureAwait(false) is { Status: not DeliveryStatus.Pending } delivery)
                    {
                        finished[id] = delivery;
                    }
                }

                if (finished.Count < deliveryIds.Count)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(25), TimeProvider.System, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The deadline passed: report what finished.
        }

        return finished;
    }

    private static async Task ReportDeliveriesAsync(
        DemoEngine engine,
        DemoReceiver receiver,
        InMemoryLaunchQueue queue,
        DemoSetup setup,
        DemoPublished published,
        IReadOnlyDictionary<string, Delivery> finished,
        DemoOutput output,
        DemoChecks checks,
        CancellationToken cancellationToken)
    {
        var received = receiver.Received.ToArray();
        var jobs = new List<QueuedLaunchJob>();
        while (queue.TryDequeue(Entity, QueueName, out var job))
        {
            jobs.Add(job!);
        }

        var rows = new List<IReadOnlyList<string>>();
        foreach (var id in published.DeliveryIds)
        {
            var delivery = finished.GetValueOrDefault(id) ?? await engine.Deliveries.GetAsync(id, cancellationToken).ConfigureAwait(false);
            if (delivery is null)
            {
                continue;
            }

            var requests = received.Where(r => r.DeliveryId == id).ToArray();
            string answered;
            string verified;
            if (delivery.Automation.Action is LaunchJobAction)
            {
                var job = jobs.FirstOrDefault(j => j.Request.IdempotencyKey == id);
                answered = job is null ? "not queued" : "queued " + job.Id;
                verified = job is null ? "-" : "idempotency key = delivery id";
            }
            else
            {
                answered = requests.Length == 0 ? "nothing received" : string.Join(", then ", requests.Select(r => r.AnsweredStatus.ToString(CultureInfo.InvariantCulture)));
                verified = DescribeVerification(requests);
            }

            rows.Add([delivery.Automation.Name, delivery.Event.EventId, delivery.Status.ToString(), delivery.Attempts.ToString(CultureInfo.InvariantCulture), answered, verified]);
        }

        await output.HeadingAsync("Deliveries (engine's record, receiver's view)").ConfigureAwait(false);
        await output.LinesAsync(TextTable.Format("  ", ["AUTOMATION", "EVENT", "STATUS", "ATTEMPTS", "RECEIVER ANSWERED", "VERIFIED BY RECEIVER"], rows)).ConfigureAwait(false);

        var all = published.DeliveryIds.Select(finished.GetValueOrDefault).ToArray();
        var succeeded = all.Count(d => d?.Status == DeliveryStatus.Succeeded);
        var githubDone = received.Any(r => r.Path == GitHubPath && r.AnsweredStatus == 200);
        var slackDone = received.Any(r => r.Path == SlackPath && r.AnsweredStatus == 200);
        var jobQueued = jobs.Count == 1 && all.Any(d => d?.Id == jobs[0].Request.IdempotencyKey);
        checks.Add(
            all.Length == 3 && succeeded == 3 && githubDone && slackDone && jobQueued,
            "every expected delivery arrived",
            $"{succeeded} of {all.Length} deliveries succeeded; GitHub dispatch {(githubDone ? "received" : "MISSING")}, Slack notification {(slackDone ? "received" : "MISSING")}, training job {(jobQueued ? "queued once" : "NOT queued once")}");

        var webhookRequests = received.Where(r => r.Path is GitHubPath or SlackPath).ToArray();
        var wandbOk = webhookRequests.Count(r => r.WandbSignatureValid == true);
        var slackRequests = webhookRequests.Where(r => r.Path == SlackPath).ToArray();
        var standardOk = slackRequests.Count(r => r.StandardSignatureValid == true);
        checks.Add(
            webhookRequests.Length > 0 && wandbOk == webhookRequests.Length && standardOk == slackRequests.Length,
            "signatures verified by the receiver",
            $"X-Wandb-Signature valid on {wandbOk} of {webhookRequests.Length} requests, Standard Webhooks valid on {standardOk} of {slackRequests.Length}");

        var githubRequests = webhookRequests.Where(r => r.Path == GitHubPath).ToArray();
        var bearerOk = githubRequests.Count(r => r.BearerValid == true);
        checks.Add(
            githubRequests.Length > 0 && bearerOk == githubRequests.Length && slackRequests.All(r => r.BearerValid is null),
            "access token",
            $"Authorization: Bearer <{AccessTokenName}> matched on {bearerOk} of {githubRequests.Length} GitHub requests; none sent to Slack");

        var announce = all.FirstOrDefault(d => d?.AutomationId == setup.Announce.Id);
        var retried = announce is { Status: DeliveryStatus.Succeeded, Attempts: 2 }
                      && slackRequests.Length == 2
                      && slackRequests[0].AnsweredStatus == 503
                      && slackRequests.All(r => r.DeliveryId == announce.Id);
        checks.Add(
            retried,
            "failed once, then retried",
            announce is null
                ? "the notification delivery did not finish"
                : $"the notification answered {string.Join(" then ", slackRequests.Select(r => r.AnsweredStatus))} over {announce.Attempts} attempts, same delivery id each time");

        if (announce is not null)
        {
            await ReportRetryAsync(engine, announce, output, cancellationToken).ConfigureAwait(false);
        }

        var github = githubRequests.LastOrDefault(r => r.AnsweredStatus == 200);
        if (github is not null)
        {
            await output.HeadingAsync($"What GitHub received (POST {GitHubPath}, the repository_dispatch preset rendered for evt-001)").ConfigureAwait(false);
            await output.LinesAsync(Encoding.UTF8.GetString(github.Body).Split('\n').Select(l => "  " + l.TrimEnd('\r'))).ConfigureAwait(false);
        }

        if (jobs.Count > 0)
        {
            var action = jobs[0].Request.Action;
            await output.HeadingAsync($"What the launch queue holds ({Entity}/{QueueName})").ConfigureAwait(false);
            await output.LineAsync($"  {jobs[0].Id}: {action.Job}:{action.JobVersion} overrides {action.Overrides?.GetRawText()} (for {jobs[0].Request.Event.Collection}:{jobs[0].Request.Event.Version.Version})").ConfigureAwait(false);
        }
    }

    private static async Task ReportRetryAsync(DemoEngine engine, Delivery delivery, DemoOutput output, CancellationToken cancellationToken)
    {
        var history = await engine.Automations.GetHistoryAsync(Admin, delivery.AutomationId, new PageRequest(PageRequest.MaxPageSize), cancellationToken).ConfigureAwait(false);
        var rows = history.Items.Where(r => r.DeliveryId == delivery.Id).Reverse().ToArray();
        if (rows.Length == 0)
        {
            return;
        }

        var start = rows[0].At;
        await output.HeadingAsync($"History of the retried delivery {delivery.Id} ({delivery.Automation.Name})").ConfigureAwait(false);
        await output.LinesAsync(TextTable.Format("  ", ["AT", "STATUS", "ATTEMPT", "RESPONSE", "ERROR"], rows.Select(r => (IReadOnlyList<string>)
        [
            "+" + ((int)(r.At - start).TotalMilliseconds).ToString(CultureInfo.InvariantCulture) + " ms",
            r.Status.ToString(),
            r.Attempt == 0 ? "-" : r.Attempt.ToString(CultureInfo.InvariantCulture),
            r.ResponseStatus?.ToString(CultureInfo.InvariantCulture) ?? "-",
            r.Error ?? string.Empty,
        ]))).ConfigureAwait(false);
    }

    private static async Task ReportListAsync(DemoEngine engine, DemoSetup setup, DemoOutput output, DemoChecks checks, CancellationToken cancellationToken)
    {
        var page = await engine.Automations.ListAsync(Admin, Entity, cancellationToken: cancellationToken).ConfigureAwait(false);
        await output.HeadingAsync("Automations list").ConfigureAwait(false);
        await output.LinesAsync(TextTable.Format("  ", ["NAME", "TRIGGER", "ACTION TYPE", "ACTION NAME", "QUEUE", "ENABLED", "LAST STATUS"], page.Items.Select(a => (IReadOnlyList<string>)
        [
            a.Name,
            a.EventType,
            a.ActionType,
            a.ActionName,
            a.Queue,
            a.Enabled ? "yes" : "no",
            a.LastExecutionStatus?.ToString() ?? "-",
        ]))).ConfigureAwait(false);

        var succeeded = page.Items.Count(a => a.LastExecutionStatus == ExecutionStatus.Succeeded);
        checks.Add(page.Items.Count == 3 && succeeded == 3, "Automations list", $"{page.Items.Count} automations, {succeeded} with last status Succeeded");
    }

    private static async Task CheckSecretsAsync(DemoEngine engine, DemoSetup setup, DemoOutput output, DemoChecks checks, string[] secrets, CancellationToken cancellationToken)
    {
        var stored = new StringBuilder();
        foreach (var automation in new[] { setup.Deploy, setup.Announce, setup.Retrain })
        {
            var history = await engine.Automations.GetHistoryAsync(Admin, automation.Id, new PageRequest(PageRequest.MaxPageSize), cancellationToken).ConfigureAwait(false);
            foreach (var row in history.Items)
            {
                stored.Append(row.RequestBody).Append(row.ResponseBody).Append(row.Error).Append(row.Target);
            }
        }

        // The database file holds the secrets encrypted: their values must not appear in it either.
        var files = engine.Store.ReadFiles().ToList();
        var leaked = secrets.Count(s => output.Text.Contains(s, StringComparison.Ordinal)
                                        || stored.ToString().Contains(s, StringComparison.Ordinal)
                                        || files.Any(f => f.AsSpan().IndexOf(Encoding.UTF8.GetBytes(s)) >= 0));
        checks.Add(
            leaked == 0 && files.Count > 0,
            "secrets stay secret",
            leaked == 0
                ? "no secret value in this output, in any history row or in the database file (secrets are stored encrypted)"
                : $"{leaked} secret value(s) found in the output, the history or the database file");
    }

    private static string DescribeVerification(IReadOnlyList<ReceivedWebhook> requests)
    {
        if (requests.Count == 0)
        {
            return "-";
        }

        var parts = new List<string>();
        Add(parts, "X-Wandb-Signature", requests.Select(r => r.WandbSignatureValid));
        Add(parts, "Standard Webhooks", requests.Select(r => r.StandardSignatureValid));
        Add(parts, "Bearer token", requests.Select(r => r.BearerValid));
        return parts.Count == 0 ? "unsigned" : string.Join(", ", parts);

        static void Add(List<string> parts, string what, IEnumerable<bool?> results)
        {
            var list = results.ToList();
            if (list.All(r => r is null))
            {
                return;
            }

            parts.Add(list.All(r => r == true) ? what + " ok" : what + " INVALID");
        }
    }

    private static string Describe(IReadOnlyList<TimeSpan> schedule)
        => string.Join(", ", schedule.Select(d => d == TimeSpan.Zero ? "now" : d < TimeSpan.FromSeconds(1)
            ? ((int)d.TotalMilliseconds).ToString(CultureInfo.InvariantCulture) + " ms"
            : d.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + " s"));

    private sealed record DemoSetup(Automation Deploy, Automation Announce, Automation Retrain, WebhookIntegration GitHub, WebhookIntegration Slack);

    private sealed record DemoPublished(IReadOnlyList<string> DeliveryIds);
}

using System.CommandLine;
using System.Text.RegularExpressions;
using Automations.Cli.Commands;
using Automations.Cli.Demo;

namespace Automations.Cli.Tests.Commands;

public class DemoCommandTests
{
    [Fact]
    public async Task Demo_runs_end_to_end_and_exits_0_when_every_check_passed()
    {
        var (code, output, error) = await CliRunner.RunAsync("demo");

        Assert.True(code == 0, output + error);
        Assert.Equal(string.Empty, error);
        Assert.Contains("Demo OK: all 7 checks passed.", output, StringComparison.Ordinal);
        Assert.DoesNotContain("[FAIL]", output, StringComparison.Ordinal);

        // Each delivery: automation, status, attempts, what the receiver answered and verified.
        Assert.Matches(@"Deploy new churn model\s+evt-001\s+Succeeded\s+1\s+200\s+X-Wandb-Signature ok, Bearer token ok", output);
        Assert.Matches(@"Announce production alias\s+evt-003\s+Succeeded\s+2\s+503, then 200\s+X-Wandb-Signature ok, Standard Webhooks ok", output);
        Assert.Matches(@"Retrain on new data\s+evt-002\s+Succeeded\s+1\s+queued job_\w+\s+idempotency key = delivery id", output);

        // The retried delivery's history and the non-matching events.
        Assert.Matches(@"Failed\s+1\s+503\s+The endpoint answered 503", output);
        Assert.Contains("none: alias 'staging' does not match ^prod", output, StringComparison.Ordinal);
        Assert.Contains("\"event_type\": \"BUILD_AND_DEPLOY\"", output, StringComparison.Ordinal);
        Assert.Contains("\"artifact_version_string\": \"acme/churn-prediction/churn-model:v4\"", output, StringComparison.Ordinal);

        // The Automations list table.
        Assert.Matches(@"NAME\s+TRIGGER\s+ACTION TYPE\s+ACTION NAME\s+QUEUE\s+ENABLED\s+LAST STATUS", output);
        Assert.Matches(@"Announce production alias\s+ADD_ARTIFACT_ALIAS\s+NOTIFICATION\s+slack-alerts\s+yes\s+Succeeded", output);
        Assert.Matches(@"Deploy new churn model\s+LINK_ARTIFACT\s+GENERIC_WEBHOOK\s+github-dispatch\s+yes\s+Succeeded", output);
        Assert.Matches(@"Retrain on new data\s+LINK_ARTIFACT\s+QUEUE_JOB\s+acme/churn-prediction/job-train-churn\s+gpu-queue\s+yes\s+Succeeded", output);

        // Secret values are generated per run and never printed: no whsec_ key, no ghp_ token.
        Assert.DoesNotContain("whsec_", output, StringComparison.Ordinal);
        Assert.DoesNotContain("ghp_", output, StringComparison.Ordinal);

        // The demo ran on a SQLite file in a temporary directory, deleted at the end.
        var store = Regex.Match(output, @"store\s+(\S+automations\.db) \(SQLite");
        Assert.True(store.Success, output);
        Assert.False(Directory.Exists(Path.GetDirectoryName(store.Groups[1].Value)), "the demo's database directory was not deleted");
        Assert.Contains("[ok] secrets stay secret: no secret value in this output, in any history row or in the database file", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Demo_exits_1_and_names_the_failed_checks_when_a_delivery_never_succeeds()
    {
        // The Slack receiver answers 503 more often than the schedule retries: that delivery ends dead.
        var settings = new DemoSettings
        {
            RetrySchedule = [TimeSpan.Zero, TimeSpan.FromMilliseconds(20)],
            SlackFailuresBeforeSuccess = 5,
        };
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var root = new RootCommand { DemoCommand.Create(new CliContext(stdout, stderr), settings) };

        var code = await root.Parse(["demo"]).InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr });

        var output = stdout.ToString();
        Assert.Equal(1, code);
        Assert.Matches(@"Announce production alias\s+evt-003\s+Dead\s+2\s+503, then 503", output);
        Assert.Contains("[FAIL] every expected delivery arrived: 2 of 3 deliveries succeeded", output, StringComparison.Ordinal);
        Assert.Contains("[FAIL] failed once, then retried", output, StringComparison.Ordinal);
        Assert.Contains("[ok] signatures verified by the receiver", output, StringComparison.Ordinal);
        Assert.Contains("Demo FAILED: 3 of 7 checks failed.", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Demo_takes_no_arguments()
    {
        var (code, _, error) = await CliRunner.RunAsync("demo", "--unknown");
        Assert.Equal(2, code);
        Assert.Contains("--unknown", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_verb_is_bad_usage()
    {
        var (code, _, error) = await CliRunner.RunAsync("no-such-verb");
        Assert.Equal(2, code);
        Assert.Contains("no-such-verb", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Text_table_pads_columns_to_the_widest_cell()
    {
        var lines = TextTable.Format("  ", ["A", "LONG HEADER", "C"], [["wide cell", "x", "last"], ["y", "z", ""]]);

        Assert.Equal(
            [
                "  A          LONG HEADER  C",
                "  ---------  -----------  ----",
                "  wide cell  x            last",
                "  y          z",
            ],
            lines);
        Assert.Throws<ArgumentException>(() => TextTable.Format(string.Empty, ["A", "B"], [["only one"]]));
    }
}

using System.Text.Json;
using Automations.Core.Domain;
using Automations.Core.Domain.Actions;
using Automations.Core.Domain.Artifacts;

namespace Automations.Core.Tests.Domain.Actions;

public class ActionTests
{
    [Fact]
    public void Webhook_action_names_its_integration()
    {
        var action = new WebhookAction("wh-1", """{"event":"${event_type}"}""");

        Assert.Equal(ActionKinds.Webhook, action.Kind);
        Assert.Equal("wh-1", action.ActionName);
        Assert.Null(action.Queue);
        Assert.Equal("GENERIC_WEBHOOK wh-1", action.ToString());
        Assert.DoesNotContain("event_type", action.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Webhook_action_requires_integration_and_template()
    {
        var ex = Assert.Throws<AutomationValidationException>(() => new WebhookAction("", " "));
        Assert.Equal(["integrationId", "payloadTemplate"], ex.Problems.Select(p => p.Path));
    }

    [Fact]
    public void Webhook_template_over_the_limit_is_refused()
    {
        var ex = Assert.Throws<AutomationValidationException>(() => new WebhookAction("wh", new string(' ', WebhookAction.MaxTemplateLength) + "{}"));
        Assert.Equal("payloadTemplate", Assert.Single(ex.Problems).Path);
    }

    [Fact]
    public void Launch_job_action_shows_its_queue()
    {
        using var overrides = JsonDocument.Parse("""{"epochs": 10}""");
        var action = new LaunchJobAction("job-train", "gpu-queue", "v2", overrides.RootElement, ArtifactContainer.Project("acme", "runs"));

        Assert.Equal(ActionKinds.LaunchJob, action.Kind);
        Assert.Equal("job-train", action.ActionName);
        Assert.Equal("gpu-queue", action.Queue);
        Assert.Equal(10, action.Overrides!.Value.GetProperty("epochs").GetInt32());
        Assert.Equal("QUEUE_JOB job-train on gpu-queue", action.ToString());
    }

    [Fact]
    public void Launch_job_overrides_survive_disposal_of_the_source_document()
    {
        LaunchJobAction action;
        using (var doc = JsonDocument.Parse("""{"lr": 0.1}"""))
        {
            action = new LaunchJobAction("j", "q", overrides: doc.RootElement);
        }

        Assert.Equal(0.1, action.Overrides!.Value.GetProperty("lr").GetDouble());
    }

    [Fact]
    public void Launch_job_action_reports_every_problem()
    {
        using var array = JsonDocument.Parse("[1]");
        var ex = Assert.Throws<AutomationValidationException>(() =>
            new LaunchJobAction("", "", "a/b", array.RootElement, ArtifactContainer.Registry("acme", "r")));
        Assert.Equal(["job", "queue", "jobVersion", "overrides", "destinationProject"], ex.Problems.Select(p => p.Path));
    }

    [Fact]
    public void Notification_action_validates_fields()
    {
        var ok = new NotificationAction("slack", "New model", "Version ${artifact_version_string}", NotificationSeverity.Warn);
        Assert.Equal(ActionKinds.Notification, ok.Kind);
        Assert.Equal(NotificationSeverity.Warn, ok.Severity);

        var ex = Assert.Throws<AutomationValidationException>(() =>
            new NotificationAction("", "", new string('m', NotificationAction.MaxMessageLength + 1), (NotificationSeverity)7));
        Assert.Equal(["integrationId", "title", "message", "severity"], ex.Problems.Select(p => p.Path));
    }

    [Fact]
    public void NoOp_is_a_singleton_kind()
    {
        Assert.Equal(ActionKinds.NoOp, NoOpAction.Instance.Kind);
        Assert.Equal("NO_OP no-op", NoOpAction.Instance.ToString());
    }

    [Theory]
    [InlineData("acme.pagerduty", true)]
    [InlineData("x", true)]
    [InlineData("GENERIC_WEBHOOK", false)]
    [InlineData("1abc", false)]
    [InlineData("", false)]
    [InlineData("has space", false)]
    public void Custom_kind_names_follow_the_rule(string kind, bool valid) => Assert.Equal(valid, ActionKinds.IsValidCustomKind(kind));

    [Fact]
    public void Custom_action_keeps_kind_and_configuration()
    {
        using var config = JsonDocument.Parse("""{"service":"ml"}""");
        var action = new CustomAction("acme.pagerduty", config.RootElement, "Page on-call");

        Assert.Equal("acme.pagerduty", action.Kind);
        Assert.Equal("Page on-call", action.ActionName);
        Assert.Equal("ml", action.Configuration.GetProperty("service").GetString());
    }

    [Fact]
    public void Custom_action_refuses_builtin_kind_and_non_object_configuration()
    {
        using var config = JsonDocument.Parse("\"text\"");
        var ex = Assert.Throws<AutomationValidationException>(() => new CustomAction(ActionKinds.Webhook, config.RootElement));
        Assert.Equal(["kind", "configuration"], ex.Problems.Select(p => p.Path));
        Assert.Contains("built-in", ex.Problems[0].Message, StringComparison.Ordinal);
    }
}

using Automations.Core.Domain;
using Automations.Core.Domain.Integrations;
using Automations.Core.Http;
using Automations.Core.Signing;
using Automations.Core.Domain.Endpoints;

namespace Automations.Core.Tests.Domain.Integrations;

public class WebhookIntegrationTests
{
    private const string Url = "https://hooks.slack.com/services/T000/B000/s3cr3t-path";

    [Fact]
    public void Creates_with_W_and_B_defaults()
    {
        var integration = WebhookIntegration.Create("wh-1", "ml-team", "deploy hook", Url);

        Assert.Equal("wh-1", integration.Id);
        Assert.Equal("ml-team", integration.EntityName);
        Assert.Equal("deploy hook", integration.Name);
        Assert.Equal(new Uri(Url), integration.Url);
        Assert.Equal(WebhookSigningScheme.Wandb, integration.SigningScheme);
        Assert.Null(integration.SigningSecretName);
        Assert.Null(integration.AccessTokenSecretName);
        Assert.False(integration.IsSigned);
        Assert.True(integration.IsEnabled);
        Assert.Null(integration.DisabledReason);
    }

    [Fact]
    public void Secret_references_are_names_and_signing_follows_the_scheme()
    {
        var integration = WebhookIntegration.Create("wh-1", "ml-team", "github", "https://api.github.com/repos/o/r/dispatches",
            signingSecretName: "WEBHOOK_SECRET", accessTokenSecretName: "GITHUB_TOKEN",
            signingScheme: WebhookSigningScheme.Wandb | WebhookSigningScheme.StandardWebhooks);

        Assert.True(integration.IsSigned);
        Assert.Equal("WEBHOOK_SECRET", integration.SigningSecretName);
        Assert.Equal("GITHUB_TOKEN", integration.AccessTokenSecretName);
    }

    [Fact]
    public void Reports_every_problem_at_once()
    {
        var ex = Assert.Throws<AutomationValidationException>(() => WebhookIntegration.Create(
            id: " ", entityName: "ml team", name: "bad!name", url: "http://127.0.0.1/hook",
            signingSecretName: "not-a-name", accessTokenSecretName: "", signingScheme: (WebhookSigningScheme)8,
            isEnabled: true, disabledReason: "why"));

        Assert.Equal(
            ["Id", "EntityName", "Name", "Url", "SigningSecretName", "AccessTokenSecretName", "SigningScheme", "DisabledReason"],
            ex.Problems.Select(p => p.Path));
        Assert.Contains("IP address", ex.Problems.Single(p => p.Path == "Url").Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("deploy")]
    [InlineData("deploy-hook_2")]
    [InlineData("My Deploy Hook")]
    [InlineData("two  spaces")]
    [InlineData("-")]
    [InlineData("\u30c7\u30d7\u30ed\u30a4 \u30d5\u30c3\u30af")] // \w is Unicode, as in W&B (Python)
    public void Accepts_W_and_B_names(string name)
        => Assert.Equal(name, WebhookIntegration.Create("id", "team", name, Url).Name);

    [Theory]
    [InlineData("")]
    [InlineData(" leading")]
    [InlineData("trailing ")]
    [InlineData("tab\tinside")]
    [InlineData("newline\n")]
    [InlineData("dots.not.allowed")]
    [InlineData("slash/no")]
    public void Refuses_other_names(string name)
    {
        var ex = Assert.Throws<AutomationValidationException>(() => WebhookIntegration.Create("id", "team", name, Url));
        Assert.Equal("Name", Assert.Single(ex.Problems).Path);
    }

    [Fact]
    public void Name_is_at_most_sixty_four_characters()
    {
        _ = WebhookIntegration.Create("id", "team", new string('a', 64), Url);
        var ex = Assert.Throws<AutomationValidationException>(() => WebhookIntegration.Create("id", "team", new string('a', 65), Url));
        Assert.Contains("64", Assert.Single(ex.Problems).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://localhost/hook")]
    [InlineData("https://2130706433/")]
    [InlineData("http://example.com/")]
    [InlineData("ftp://example.com/")]
    [InlineData("https://user:pw@example.com/")]
    [InlineData("not a url")]
    public void Url_must_pass_the_static_policy(string url)
    {
        var ex = Assert.Throws<AutomationValidationException>(() => WebhookIntegration.Create("id", "team", "hook", url));
        Assert.Equal("Url", Assert.Single(ex.Problems).Path);
    }

    [Fact]
    public void A_host_policy_can_allow_loopback_for_development()
    {
        var dev = new EndpointPolicy(new EndpointPolicyOptions { AllowLoopback = true });
        var integration = WebhookIntegration.Create("id", "team", "local", "http://localhost:5000/hook", endpointPolicy: dev);
        Assert.Equal(5000, integration.Url.Port);
    }

    [Fact]
    public void Signing_secret_with_scheme_none_is_a_problem_but_unsigned_none_is_fine()
    {
        var ex = Assert.Throws<AutomationValidationException>(() =>
            WebhookIntegration.Create("id", "team", "hook", Url, signingSecretName: "S", signingScheme: WebhookSigningScheme.None));
        Assert.Equal("SigningScheme", Assert.Single(ex.Problems).Path);

        Assert.False(WebhookIntegration.Create("id", "team", "hook", Url, signingScheme: WebhookSigningScheme.None).IsSigned);
    }

    [Fact]
    public void Disable_and_enable_return_new_values()
    {
        var enabled = WebhookIntegration.Create("id", "team", "hook", Url);

        var disabled = enabled.Disable("endpoint answered 410 Gone");
        var again = disabled.Enable();

        Assert.True(enabled.IsEnabled);
        Assert.False(disabled.IsEnabled);
        Assert.Equal("endpoint answered 410 Gone", disabled.DisabledReason);
        Assert.True(again.IsEnabled);
        Assert.Null(again.DisabledReason);
        Assert.Equal(enabled, again);
        Assert.NotEqual(enabled, disabled);
        Assert.Throws<AutomationValidationException>(() => enabled.Disable(" "));
    }

    [Fact]
    public void Created_disabled_with_a_reason()
    {
        var integration = WebhookIntegration.Create("id", "team", "hook", Url, isEnabled: false, disabledReason: "paused by admin");
        Assert.False(integration.IsEnabled);
        Assert.Equal("paused by admin", integration.DisabledReason);
    }

    [Fact]
    public void ToString_hides_the_url_path_and_shows_secret_names_only()
    {
        var text = WebhookIntegration.Create("id", "team", "hook", Url, signingSecretName: "SIGNING_KEY").ToString();

        Assert.Contains("https://hooks.slack.com", text, StringComparison.Ordinal);
        Assert.Contains("SIGNING_KEY", text, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Failing_since_is_set_once_kept_when_disabled_and_cleared_by_a_success_or_enable()
    {
        var t0 = new DateTimeOffset(2026, 11, 27, 9, 0, 0, TimeSpan.Zero);
        var integration = WebhookIntegration.Create("whk_1", "acme", "ci", "https://hooks.example.com/ci");

        var failing = integration.WithFailure(t0);
        var still = failing.WithFailure(t0.AddDays(1));
        var disabled = still.Disable("down for days");

        Assert.Null(integration.FailingSince);
        Assert.Equal(t0, failing.FailingSince);
        Assert.Same(failing, still);
        Assert.Equal(t0, disabled.FailingSince);
        Assert.Null(failing.WithSuccess().FailingSince);
        Assert.Same(integration, integration.WithSuccess());
        Assert.Null(disabled.Enable().FailingSince);
        Assert.Contains("FailingSince = 2026-11-27", failing.ToString(), StringComparison.Ordinal);
    }
}

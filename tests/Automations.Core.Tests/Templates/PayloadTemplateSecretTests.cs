using System.Buffers;
using Automations.Core.Domain;
using Automations.Core.Templates;
using NSubstitute;

namespace Automations.Core.Tests.Templates;

public class PayloadTemplateSecretTests
{
    private const string SecretValue = "ghp_very-secret-value\"\n";

    [Fact]
    public void Secrets_are_rendered_escaped()
    {
        var secrets = TemplateSecrets.Create([new("GITHUB_TOKEN", SecretValue)]);

        Assert.Equal("Bearer " + SecretValue, TemplateTestData.RenderValue("Bearer ${GITHUB_TOKEN}", TemplateTestData.Context(), secrets));
    }

    [Fact]
    public void Missing_secret_names_the_secret_never_a_value_and_writes_nothing()
    {
        var template = PayloadTemplate.Parse("""{"a": "${tag}", "b": "${GITHUB_TOKEN}", "c": "${SLACK_TOKEN}"}""");
        var secrets = TemplateSecrets.Create([new("SLACK_TOKEN", SecretValue)]);
        var writer = new ArrayBufferWriter<byte>();

        var ex = Assert.Throws<AutomationValidationException>(() => template.Render(TemplateTestData.Context(), secrets, writer));

        var problem = Assert.Single(ex.Problems);
        Assert.Equal("secrets.GITHUB_TOKEN", problem.Path);
        Assert.Contains("'GITHUB_TOKEN'", problem.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(SecretValue, ex.ToString(), StringComparison.Ordinal);
        Assert.Equal(0, writer.WrittenCount);
    }

    [Fact]
    public void No_secret_lookup_at_all_lists_every_missing_secret()
    {
        var template = PayloadTemplate.Parse("""{"b": "${A}${B}${A}"}""");

        var ex = Assert.Throws<AutomationValidationException>(() => template.RenderToString(TemplateTestData.Context()));

        Assert.Equal(["secrets.A", "secrets.B"], ex.Problems.Select(p => p.Path));
    }

    [Fact]
    public async Task FetchSecretsAsync_asks_only_for_referenced_secrets()
    {
        var template = PayloadTemplate.Parse("""{"a": "${A_TOKEN}", "b": "${B_TOKEN} ${A_TOKEN}", "c": "${tag}"}""");
        var source = Substitute.For<ITemplateSecretSource>();
        source.GetSecretAsync("A_TOKEN", Arg.Any<CancellationToken>()).Returns(new ValueTask<string?>("a-value"));
        source.GetSecretAsync("B_TOKEN", Arg.Any<CancellationToken>()).Returns(new ValueTask<string?>("b-value"));

        var secrets = await template.FetchSecretsAsync(source);

        Assert.Equal(["A_TOKEN", "B_TOKEN"], secrets.Names);
        await source.Received(1).GetSecretAsync("A_TOKEN", Arg.Any<CancellationToken>());
        await source.Received(1).GetSecretAsync("B_TOKEN", Arg.Any<CancellationToken>());
        Assert.Equal(2, source.ReceivedCalls().Count());
        Assert.Equal("""{"a": "a-value", "b": "b-value a-value", "c": "nightly"}""", template.RenderToString(TemplateTestData.Context(), secrets));
    }

    [Fact]
    public async Task FetchSecretsAsync_without_secrets_does_not_call_the_source()
    {
        var source = Substitute.For<ITemplateSecretSource>();

        var secrets = await PayloadTemplatePresets.Slack.FetchSecretsAsync(source);

        Assert.Equal(0, secrets.Count);
        Assert.Empty(source.ReceivedCalls());
    }

    [Fact]
    public async Task FetchSecretsAsync_reports_every_missing_secret()
    {
        var template = PayloadTemplate.Parse("""{"a": "${A}", "b": "${B}", "c": "${C}"}""");
        var source = Substitute.For<ITemplateSecretSource>();
        source.GetSecretAsync("B", Arg.Any<CancellationToken>()).Returns(new ValueTask<string?>(SecretValue));
        source.GetSecretAsync("A", Arg.Any<CancellationToken>()).Returns(new ValueTask<string?>((string?)null));
        source.GetSecretAsync("C", Arg.Any<CancellationToken>()).Returns(new ValueTask<string?>((string?)null));

        var ex = await Assert.ThrowsAsync<AutomationValidationException>(async () => await template.FetchSecretsAsync(source));

        Assert.Equal(["secrets.A", "secrets.C"], ex.Problems.Select(p => p.Path));
        Assert.DoesNotContain(SecretValue, ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FetchSecretsAsync_passes_the_cancellation_token()
    {
        using var cts = new CancellationTokenSource();
        var template = PayloadTemplate.Parse("""{"a": "${A}"}""");
        var source = Substitute.For<ITemplateSecretSource>();
        source.GetSecretAsync("A", cts.Token).Returns(new ValueTask<string?>("v"));

        var secrets = await template.FetchSecretsAsync(source, cts.Token);

        Assert.True(secrets.TryGetSecret("A", out var value));
        Assert.Equal("v", value);
    }

    [Fact]
    public void TemplateSecrets_ToString_lists_names_only()
    {
        var secrets = TemplateSecrets.Create([new("B", SecretValue), new("A", "other-secret")]);

        var text = secrets.ToString();

        Assert.Equal("TemplateSecrets [A, B] (values hidden)", text);
        Assert.DoesNotContain(SecretValue, text, StringComparison.Ordinal);
    }

    [Fact]
    public void TemplateSecrets_rejects_bad_names_and_duplicates_without_showing_values()
    {
        var ex = Assert.Throws<AutomationValidationException>(() => TemplateSecrets.Create(
            [new("OK", SecretValue), new("not-valid", SecretValue), new("OK", SecretValue)]));

        Assert.Equal(["secrets[1]", "secrets[2]"], ex.Problems.Select(p => p.Path));
        Assert.DoesNotContain(SecretValue, ex.ToString(), StringComparison.Ordinal);
        Assert.Throws<ArgumentNullException>(() => TemplateSecrets.Create([new("A", null!)]));
    }

    [Fact]
    public void TemplateSecrets_lookup_is_ordinal()
    {
        var secrets = TemplateSecrets.Create([new("Token", "v")]);

        Assert.True(secrets.TryGetSecret("Token", out _));
        Assert.False(secrets.TryGetSecret("TOKEN", out _));
        Assert.Same(TemplateSecrets.Empty, TemplateSecrets.Create([]));
    }
}

using Automations.Core.Domain;
using Automations.Core.Templates;

namespace Automations.Core.Tests.Templates;

public class PayloadTemplateErrorTests
{
    private static ValidationProblem Single(string text, PayloadTemplateOptions? options = null)
    {
        var ex = Assert.Throws<AutomationValidationException>(() => PayloadTemplate.Parse(text, options));
        return Assert.Single(ex.Problems);
    }

    [Theory]
    [InlineData("{\"a\": \"${event_type\"}", "line 1, column 8", "the string ends")]
    [InlineData("{\"a\": \"x\",\n \"b\": \"${tag", "line 2, column 8", "the template ends")]
    [InlineData("{\"a\": \"${tag\n}\"}", "line 1, column 8", "the line ends")]
    [InlineData("{\"a\": \"${ta${tag}\"}", "line 1, column 8", "another placeholder starts")]
    public void Unterminated_placeholder_names_its_position(string text, string position, string reason)
    {
        var problem = Single(text);

        Assert.StartsWith(position + ": unterminated placeholder", problem.Message, StringComparison.Ordinal);
        Assert.Contains(reason, problem.Message, StringComparison.Ordinal);
        Assert.Equal(string.Empty, problem.Path);
    }

    [Fact]
    public void Empty_placeholder()
    {
        var problem = Single("{\n  \"a\": \"x ${}\"\n}");

        Assert.StartsWith("line 2, column 11: empty placeholder '${}'", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("${artifact_metadata}", "needs a key")]
    [InlineData("${artifact_metadata.}", "has no metadata key")]
    [InlineData("${event_typ}", "did you mean '${event_type}'")]
    [InlineData("${Event_Type}", "did you mean '${event_type}'")]
    [InlineData("${aliass}", "did you mean '${alias}'")]
    [InlineData("${artifact_versoin}", "did you mean '${artifact_version}'")]
    [InlineData("${artifact_metadat}", "did you mean '${artifact_metadata.<KEY>}'")]
    [InlineData("${artifact_name}", "names starting with 'artifact_' are reserved")]
    [InlineData("${event_id}", "names starting with 'event_' are reserved")]
    [InlineData("${artifact-version}", "not a known variable nor a valid secret name")]
    [InlineData("${ event_type }", "Did you mean '${event_type}'?")]
    [InlineData("${MY.TOKEN}", "not a known variable nor a valid secret name")]
    public void Unknown_or_malformed_names_are_reported_with_position(string placeholder, string expected)
    {
        var problem = Single("{\"k\": \"pre " + placeholder + "\"}");

        Assert.StartsWith("line 1, column 12: ", problem.Message, StringComparison.Ordinal);
        Assert.Contains(expected, problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("${token}")]
    [InlineData("${github_pat}")]
    [InlineData("${SLACK_BOT_TOKEN}")]
    [InlineData("${Api_Key}")]
    public void Lower_case_names_far_from_variables_are_secrets(string placeholder)
    {
        var template = PayloadTemplate.Parse("{\"k\": \"" + placeholder + "\"}");

        Assert.Equal([placeholder[2..^1]], template.SecretNames);
    }

    [Theory]
    [InlineData("{\"a\": \"${tag}\",}", "line 1, column 16")]
    [InlineData("{\"a\": ${tag} \"x\"}", "line 1, column 14")]
    [InlineData("{\n  \"日本\": \"${tag}\"\n  \"b\": 1\n}", "line 3, column 3")]
    [InlineData("{\"a\": ${tag}${alias}}", "line 1, column 13")]
    [InlineData("{\"a\": tru}", "line 1, column 10")]
    [InlineData("{\"a\": \"x\"} {}", "line 1, column 12")]
    [InlineData("{\"a\": \"bad \\q escape ${tag}\"}", "line 1, column 13")]
    [InlineData("{\"a\": \"raw\ttab\"}", "line 1, column 11")]
    public void Invalid_json_is_reported_at_its_position_in_the_original_text(string text, string position)
    {
        var problem = Single(text);

        Assert.StartsWith(position + ": invalid JSON: ", problem.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("LineNumber", problem.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("reader options", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[\"${tag}\"]", "an array")]
    [InlineData("  \"${tag}\"", "a string")]
    [InlineData("${tag}", "a string")]
    [InlineData("42", "a number")]
    [InlineData("null", "null")]
    [InlineData("true", "a boolean")]
    public void Top_level_must_be_an_object(string text, string found)
    {
        var problem = Single(text);

        Assert.Contains("must be a JSON object at the top level, not " + found, problem.Message, StringComparison.Ordinal);
        Assert.StartsWith("line 1, column", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  \n\t ")]
    public void Empty_template_is_refused(string text)
    {
        var problem = Single(text);

        Assert.Contains("the template is empty", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Template_over_the_size_limit_is_refused_before_parsing()
    {
        var text = "{\"a\": \"" + new string('x', 100) + "${nope-nope}\"}";

        var problem = Single(text, new PayloadTemplateOptions { MaxTemplateBytes = 64 });

        Assert.Contains("over the limit of 64 bytes", problem.Message, StringComparison.Ordinal);
        Assert.Contains("MaxTemplateBytes", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Size_limit_counts_utf8_bytes_not_chars()
    {
        var text = "{\"a\": \"" + new string('日', 10) + "\"}"; // 19 chars, 39 bytes of UTF-8
        Assert.True(PayloadTemplate.TryParse(text, new PayloadTemplateOptions { MaxTemplateBytes = 39 }, out _, out _));
        Assert.False(PayloadTemplate.TryParse(text, new PayloadTemplateOptions { MaxTemplateBytes = 38 }, out _, out var problems));
        Assert.Contains("the template is 39 bytes", Assert.Single(problems).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Default_size_limit_is_256_KiB()
    {
        var filler = new string('x', (256 * 1024) - 10);
        Assert.True(PayloadTemplate.TryParse("{\"a\": \"" + filler + "\"}", out _, out _));
        Assert.False(PayloadTemplate.TryParse("{\"a\": \"" + filler + "xx\"}", out _, out var problems));
        Assert.Contains("262144", Assert.Single(problems).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Lone_surrogate_in_the_template_is_refused()
    {
        var problem = Single("{\"a\": \"x\uD800\"}");

        Assert.StartsWith("line 1, column 9: lone surrogate U+D800", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void All_problems_are_reported_at_once()
    {
        var text = "{\n  \"a\": \"${}\",\n  \"b\": \"${event_typ}\",\n  \"c\": \"${artifact_metadata}\",\n  \"d\": [1,]\n}";

        var ex = Assert.Throws<AutomationValidationException>(() => PayloadTemplate.Parse(text));

        Assert.Collection(
            ex.Problems,
            p => Assert.StartsWith("line 2, column 9: empty placeholder", p.Message, StringComparison.Ordinal),
            p => Assert.StartsWith("line 3, column 9: unknown variable '${event_typ}'", p.Message, StringComparison.Ordinal),
            p => Assert.StartsWith("line 4, column 9: '${artifact_metadata}' needs a key", p.Message, StringComparison.Ordinal),
            p => Assert.StartsWith("line 5, column 11: invalid JSON", p.Message, StringComparison.Ordinal));
        Assert.Contains("4 problems", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_reports_problems_without_throwing()
    {
        Assert.False(PayloadTemplate.TryParse("{\"a\": \"${}\"}", out var template, out var problems));
        Assert.Null(template);
        Assert.Single(problems);
    }
}

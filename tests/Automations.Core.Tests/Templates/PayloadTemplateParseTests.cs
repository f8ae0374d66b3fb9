using System.Text.Json;
using Automations.Core.Templates;

namespace Automations.Core.Tests.Templates;

public class PayloadTemplateParseTests
{
    [Fact]
    public void Exposes_variables_metadata_keys_and_secret_names_distinct_in_order()
    {
        var template = PayloadTemplate.Parse("""
            {
              "a": "${entity_name}/${project_name}",
              "b": "${GITHUB_TOKEN} ${artifact_metadata.rows} ${entity_name}",
              "c": ["${artifact_metadata.model name}", "${artifact_metadata.rows}", "${api_key_2}", "${GITHUB_TOKEN}"]
            }
            """);

        Assert.Equal(["entity_name", "project_name"], template.Variables);
        Assert.Equal(["rows", "model name"], template.MetadataKeys);
        Assert.Equal(["GITHUB_TOKEN", "api_key_2"], template.SecretNames);
        Assert.Equal(9, template.PlaceholderCount);
    }

    [Fact]
    public void Every_fixed_variable_is_recognised()
    {
        var text = "{" + string.Join(", ", TemplateVariables.All.Select(v => $"\"{v}\": \"${{{v}}}\"")) + "}";
        var template = PayloadTemplate.Parse(text);

        Assert.Equal(TemplateVariables.All, template.Variables);
        Assert.Empty(template.SecretNames);
        Assert.Empty(template.MetadataKeys);
    }

    [Fact]
    public void Upper_case_names_of_variables_are_secrets()
    {
        var template = PayloadTemplate.Parse("""{"t": "${EVENT_TYPE}", "u": "${ARTIFACT_TOKEN}"}""");

        Assert.Empty(template.Variables);
        Assert.Equal(["EVENT_TYPE", "ARTIFACT_TOKEN"], template.SecretNames);
    }

    [Fact]
    public void Text_and_ToString_return_the_template_as_given()
    {
        const string text = """{"x": "${tag}"}""";
        var template = PayloadTemplate.Parse(text);

        Assert.Equal(text, template.Text);
        Assert.Equal(text, template.ToString());
    }

    [Fact]
    public void A_template_without_placeholders_renders_unchanged()
    {
        const string text = "{\n  \"a\": [1, 2.5, true, null, {\"b\": \"c\"}],\n  \"d\": \"日本 \\u00e9 \\n\"\n}";
        var template = PayloadTemplate.Parse(text);

        Assert.Equal(0, template.PlaceholderCount);
        Assert.Equal(text, template.RenderToString(new TemplateContext()));
    }

    [Fact]
    public void Dollar_without_brace_passes_through()
    {
        var template = PayloadTemplate.Parse("""{"price": "$5 and $ {tag} and $$", "$key": "${tag}$"}""");

        var rendered = template.RenderToString(TemplateTestData.Context());

        Assert.Equal("""{"price": "$5 and $ {tag} and $$", "$key": "nightly$"}""", rendered);
    }

    [Fact]
    public void Escaped_dollar_in_json_is_not_a_placeholder()
    {
        var template = PayloadTemplate.Parse("""{"literal": "\u0024{event_type}"}""");

        Assert.Equal(0, template.PlaceholderCount);
        using var doc = JsonDocument.Parse(template.RenderToString(TemplateTestData.Context()));
        Assert.Equal("${event_type}", doc.RootElement.GetProperty("literal").GetString());
    }

    [Fact]
    public void Several_placeholders_per_string_mixed_with_text()
    {
        var template = PayloadTemplate.Parse("""{"msg": "[${entity_name}/${project_name}] ${event_type} by ${event_author}${tag}!"}""");

        var rendered = template.RenderToString(TemplateTestData.Context());

        Assert.Equal("""{"msg": "[acme/vision] LINK_ARTIFACT by alicenightly!"}""", rendered);
    }

    [Fact]
    public void Placeholder_outside_a_string_renders_as_a_json_string()
    {
        var template = PayloadTemplate.Parse("""{"rows": ${artifact_metadata.rows}, "list": [${tag}, ${alias}], ${event_type}: true}""");

        var rendered = template.RenderToString(TemplateTestData.Context(m => m["rows"] = TemplateTestData.Json("1200")));

        Assert.Equal("""{"rows": "1200", "list": ["nightly", "production"], "LINK_ARTIFACT": true}""", rendered);
    }

    [Fact]
    public void Placeholder_in_a_property_name_is_allowed()
    {
        var template = PayloadTemplate.Parse("""{"${entity_name}": {"${project_name}-x": 1}}""");

        Assert.Equal("""{"acme": {"vision-x": 1}}""", template.RenderToString(TemplateTestData.Context()));
    }

    [Fact]
    public void Crlf_and_tabs_and_bom_free_text_is_accepted()
    {
        var template = PayloadTemplate.Parse("{\r\n\t\"a\": \"${tag}\"\r\n}");

        Assert.Equal("{\r\n\t\"a\": \"nightly\"\r\n}", template.RenderToString(TemplateTestData.Context()));
    }

    [Fact]
    public void TryParse_returns_the_template_and_no_problems_when_valid()
    {
        Assert.True(PayloadTemplate.TryParse("""{"a": "${tag}"}""", out var template, out var problems));
        Assert.NotNull(template);
        Assert.Empty(problems);
    }

    [Fact]
    public void Null_text_is_an_argument_error()
    {
        Assert.Throws<ArgumentNullException>(() => PayloadTemplate.Parse(null!));
        Assert.Throws<ArgumentNullException>(() => PayloadTemplate.TryParse(null!, out _, out _));
    }

    [Fact]
    public void Max_template_bytes_must_allow_at_least_an_empty_object()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new PayloadTemplateOptions { MaxTemplateBytes = 1 });
        Assert.Throws<ArgumentNullException>(() => new PayloadTemplateOptions { ArtifactReferenceFormatter = null! });
        Assert.Equal(256 * 1024, PayloadTemplateOptions.Default.MaxTemplateBytes);
    }

    [Fact]
    public void Secret_name_rule()
    {
        Assert.True(TemplateVariables.IsValidSecretName("GITHUB_TOKEN"));
        Assert.True(TemplateVariables.IsValidSecretName("a1_b2"));
        Assert.True(TemplateVariables.IsValidSecretName("9LIVES"));
        Assert.False(TemplateVariables.IsValidSecretName(""));
        Assert.False(TemplateVariables.IsValidSecretName(null));
        Assert.False(TemplateVariables.IsValidSecretName("A-B"));
        Assert.False(TemplateVariables.IsValidSecretName("ÄPI"));
        Assert.True(TemplateVariables.IsVariable("alias"));
        Assert.False(TemplateVariables.IsVariable("ALIAS"));
    }

    [Fact]
    public void The_same_template_renders_concurrently_with_identical_results()
    {
        var template = PayloadTemplatePresets.GitHubRepositoryDispatch;
        var contexts = Enumerable.Range(0, 64).Select(i => new TemplateContext { EventAuthor = "user" + i, ArtifactId = i.ToString(System.Globalization.CultureInfo.InvariantCulture) }).ToArray();
        var expected = contexts.Select(c => template.RenderToString(c)).ToArray();

        var actual = new string[contexts.Length];
        Parallel.For(0, contexts.Length * 20, n =>
        {
            var i = n % contexts.Length;
            var value = template.RenderToString(contexts[i]);
            Assert.Equal(expected[i], value);
            actual[i] = value;
        });

        Assert.Equal(expected, actual);
        Assert.Contains("\"event_author\": \"user5\"", expected[5], StringComparison.Ordinal);
    }
}

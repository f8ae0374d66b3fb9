using Automations.Core.Engine.Handlers;

namespace Automations.Core.Tests.Engine.Handlers;

public class SecretMarkerRedactorTests
{
    private static KeyValuePair<string, string>[] Secrets(params (string Name, string Value)[] secrets)
        => [.. secrets.Select(s => KeyValuePair.Create(s.Name, s.Value))];

    [Fact]
    public void Replaces_every_occurrence_with_the_marker()
    {
        var text = SecretMarkerRedactor.Redact("""{"auth": "Bearer tok-123", "echo": "tok-123"}""", Secrets(("TOKEN", "tok-123")), truncated: false);

        Assert.Equal("""{"auth": "Bearer ${TOKEN}", "echo": "${TOKEN}"}""", text);
    }

    [Fact]
    public void Replaces_json_escaped_spellings_of_a_value()
    {
        var value = "p\"ss/wörd<1>";
        var defaultEscaped = System.Text.Json.JsonSerializer.Serialize(value);
        var relaxed = System.Text.Json.JsonSerializer.Serialize(value, new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

        var text = SecretMarkerRedactor.Redact($"a={defaultEscaped} b={relaxed}", Secrets(("KEY", value)), truncated: false);

        Assert.Equal("a=\"${KEY}\" b=\"${KEY}\"", text);
    }

    [Fact]
    public void A_value_containing_another_is_replaced_whole()
    {
        var text = SecretMarkerRedactor.Redact("x abc-long-secret y abc", Secrets(("SHORT", "abc"), ("LONG", "abc-long-secret")), truncated: false);

        Assert.Equal("x ${LONG} y ${SHORT}", text);
    }

    [Fact]
    public void A_truncated_text_ending_in_part_of_a_value_loses_the_part()
    {
        var secrets = Secrets(("TOKEN", "tok-0123456789"));

        Assert.Equal("echo: ${TOKEN}", SecretMarkerRedactor.Redact("echo: tok-01234", secrets, truncated: true));
        Assert.Equal("echo: tok-01234", SecretMarkerRedactor.Redact("echo: tok-01234", secrets, truncated: false));
        Assert.Equal("echo: to", SecretMarkerRedactor.Redact("echo: to", secrets, truncated: true));
    }

    [Fact]
    public void Null_empty_and_secretless_inputs_are_returned_as_is()
    {
        Assert.Null(SecretMarkerRedactor.Redact(null, Secrets(("A", "x")), truncated: false));
        Assert.Equal(string.Empty, SecretMarkerRedactor.Redact(string.Empty, Secrets(("A", "x")), truncated: false));
        Assert.Equal("plain", SecretMarkerRedactor.Redact("plain", [], truncated: true));
        Assert.Equal("plain", SecretMarkerRedactor.Redact("plain", Secrets(("EMPTY", string.Empty)), truncated: true));
    }
}

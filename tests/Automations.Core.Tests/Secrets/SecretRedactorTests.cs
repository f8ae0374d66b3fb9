using Automations.Core.Secrets;

namespace Automations.Core.Tests.Secrets;

public class SecretRedactorTests
{
    [Fact]
    public void Masks_raw_and_json_escaped_values_longest_first()
    {
        var redactor = new SecretRedactor();
        redactor.Add("tok\"en/1");
        redactor.Add("abc");
        redactor.Add("abcdef");
        redactor.Add(null);
        redactor.Add("");

        var text = redactor.Redact("""{"echo":"tok\"en/1","raw":tok"en/1,"x":"abcdef abc","u":"tok\u0022en/1"}""");

        Assert.Equal("""{"echo":"***","raw":***,"x":"*** ***","u":"***"}""", text);
        Assert.Null(redactor.Redact(null));
        Assert.DoesNotContain("tok", redactor.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Without_values_text_is_unchanged()
    {
        Assert.Equal("hello", new SecretRedactor().Redact("hello"));
    }

    [Fact]
    public void A_named_value_becomes_its_marker_everywhere()
    {
        var redactor = new SecretRedactor();
        redactor.Add("tok-123", "TOKEN");

        var text = redactor.Redact("""{"auth": "Bearer tok-123", "echo": "tok-123"}""");

        Assert.Equal("""{"auth": "Bearer ${TOKEN}", "echo": "${TOKEN}"}""", text);
    }

    [Fact]
    public void Json_escaped_spellings_of_a_named_value_become_its_marker()
    {
        var value = "p\"ss/wörd<1>";
        var defaultEscaped = System.Text.Json.JsonSerializer.Serialize(value);
        var relaxed = System.Text.Json.JsonSerializer.Serialize(value, new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        var redactor = new SecretRedactor();
        redactor.Add(value, "KEY");

        var text = redactor.Redact($"a={defaultEscaped} b={relaxed}");

        Assert.Equal("a=\"${KEY}\" b=\"${KEY}\"", text);
    }

    [Fact]
    public void A_value_containing_another_is_replaced_whole()
    {
        var redactor = new SecretRedactor();
        redactor.Add("abc", "SHORT");
        redactor.Add("abc-long-secret", "LONG");

        Assert.Equal("x ${LONG} y ${SHORT}", redactor.Redact("x abc-long-secret y abc"));
    }

    [Fact]
    public void A_value_added_twice_keeps_its_first_replacement()
    {
        var redactor = new SecretRedactor();
        redactor.Add("same-value", "NAMED");
        redactor.Add("same-value");

        Assert.Equal("${NAMED}", redactor.Redact("same-value"));
    }

    [Fact]
    public void A_truncated_text_ending_in_part_of_a_value_loses_the_part()
    {
        var redactor = new SecretRedactor();
        redactor.Add("tok-0123456789", "TOKEN");

        Assert.Equal("echo: ${TOKEN}", redactor.Redact("echo: tok-01234", truncated: true));
        Assert.Equal("echo: tok-01234", redactor.Redact("echo: tok-01234", truncated: false));
        Assert.Equal("echo: to", redactor.Redact("echo: to", truncated: true));
    }

    [Fact]
    public void Null_empty_and_secretless_inputs_are_returned_as_is()
    {
        var redactor = new SecretRedactor();
        redactor.Add("x", "A");
        redactor.Add(string.Empty, "EMPTY");

        Assert.Null(redactor.Redact(null));
        Assert.Equal(string.Empty, redactor.Redact(string.Empty));
        Assert.Equal("plain", new SecretRedactor().Redact("plain", truncated: true));
        Assert.Equal("plain", redactor.Redact("plain", truncated: true));
    }

    [Fact]
    public void Signature_headers_are_masked_whole_and_by_part_but_ids_timestamps_and_authorization_are_not()
    {
        const string v1 = "v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=";
        const string v1b = "v1,AAAAfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/BBBB=";
        var redactor = new SecretRedactor();
        redactor.Add("token-value", "TOKEN");
        redactor.AddSignatureHeaders([
            new("X-Wandb-Signature", "c2lnbmF0dXJlLXZhbHVlLWZvci10ZXN0"),
            new("webhook-id", "msg_0123456789abcdef0123"),
            new("webhook-timestamp", "1798362000"),
            new("webhook-signature", v1 + " " + v1b),
            new("Authorization", "Bearer token-value"),
        ]);
        redactor.AddSignatureHeaders([]);

        var text = redactor.Redact(
            "sig=c2lnbmF0dXJlLXZhbHVlLWZvci10ZXN0 id=msg_0123456789abcdef0123 ts=1798362000 " +
            "second=" + v1b[3..] + " auth=Bearer token-value");

        Assert.Equal("sig=*** id=msg_0123456789abcdef0123 ts=1798362000 second=*** auth=Bearer ${TOKEN}", text);
    }

    [Fact]
    public void Without_text_to_redact_headers_are_never_read()
    {
        var redactor = new SecretRedactor();
        redactor.AddSignatureHeaders([new("X-Wandb-Signature", "c2lnbmF0dXJlLXZhbHVl")]);

        Assert.Null(redactor.Redact(null));
        Assert.Equal(string.Empty, redactor.Redact(string.Empty));
        Assert.Equal("nothing here", redactor.Redact("nothing here"));
        Assert.Equal("***", redactor.Redact("c2lnbmF0dXJlLXZhbHVl"));
    }
}

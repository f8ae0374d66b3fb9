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
}

using Automations.Core.Secrets;

namespace Automations.Cli.Tests.Commands;

public class SecretKeyCommandTests
{
    [Fact]
    public async Task Prints_a_fresh_32_byte_key_that_a_key_ring_accepts()
    {
        var (code, first, error) = await CliRunner.RunAsync("secret-key");
        var (_, second, _) = await CliRunner.RunAsync("secret-key");

        Assert.Equal(0, code);
        Assert.Empty(error);
        Assert.Equal(32, Convert.FromBase64String(first.Trim()).Length);
        Assert.NotEqual(first, second);
        Assert.Equal("k1", SecretKeyRing.FromBase64("k1", [KeyValuePair.Create("k1", first.Trim())]).CurrentKeyId);
    }

    [Fact]
    public async Task Unknown_options_are_usage_errors()
    {
        var (code, _, _) = await CliRunner.RunAsync("secret-key", "--bogus");
        Assert.Equal(2, code);
    }
}

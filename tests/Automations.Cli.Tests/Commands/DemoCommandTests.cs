namespace Automations.Cli.Tests.Commands;

public class DemoCommandTests
{
    [Fact]
    public async Task Unknown_verb_is_bad_usage()
    {
        var (code, _, error) = await CliRunner.RunAsync("no-such-verb");
        Assert.Equal(2, code);
        Assert.Contains("no-such-verb", error, StringComparison.Ordinal);
    }
}

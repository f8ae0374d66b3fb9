using System.Net;
using Automations.Cli.Commands;
using Automations.Core.Http;
using NSubstitute;

namespace Automations.Cli.Tests.Commands;

public class CheckUrlCommandTests
{
    [Fact]
    public async Task Public_https_url_is_allowed()
    {
        var (code, output, _) = await CliRunner.RunAsync("check-url", "https://hooks.example.com/hook");
        Assert.Equal(0, code);
        Assert.Equal("allowed", output.Trim());
    }

    [Theory]
    [InlineData("https://127.0.0.1/hook", "IpAddressLiteral")]
    [InlineData("https://2130706433/", "IpAddressLiteral")]
    [InlineData("https://[::ffff:127.0.0.1]/", "IpAddressLiteral")]
    [InlineData("http://localhost:8080/", "LocalhostName")]
    [InlineData("http://example.com/", "InsecureScheme")]
    [InlineData("ftp://example.com/", "UnsupportedScheme")]
    [InlineData("https://a@example.com/", "UserInfo")]
    public async Task Refused_url_exits_1_with_the_reason(string url, string reason)
    {
        var (code, output, _) = await CliRunner.RunAsync("check-url", url);
        Assert.Equal(1, code);
        Assert.StartsWith($"refused ({reason}): ", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://localhost:8080/hook")]
    [InlineData("http://127.0.0.1:8080/hook")]
    [InlineData("http://[::1]:8080/hook")]
    public async Task Allow_loopback_lets_loopback_through(string url)
    {
        var (code, output, _) = await CliRunner.RunAsync("check-url", url, "--allow-loopback");
        Assert.Equal(0, code);
        Assert.Equal("allowed", output.Trim());
    }

    [Fact]
    public async Task Allow_loopback_does_not_allow_private_literals()
    {
        var (code, output, _) = await CliRunner.RunAsync("check-url", "http://10.0.0.1/", "--allow-loopback");
        Assert.Equal(1, code);
        Assert.Contains("IpAddressLiteral", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Resolve_checks_literal_addresses_without_dns()
    {
        var (code, output, _) = await CliRunner.RunAsync("check-url", "http://127.0.0.1:9/", "--allow-loopback", "--resolve");
        Assert.Equal(0, code);
        Assert.Equal("allowed", output.Trim());
    }

    [Fact]
    public async Task Resolve_checks_localhost_through_the_local_resolver()
    {
        // localhost resolves from the hosts file, never from external DNS.
        var (code, output, _) = await CliRunner.RunAsync("check-url", "http://localhost:9/", "--allow-loopback", "--resolve");
        Assert.Equal(0, code);
        Assert.Equal("allowed", output.Trim());
    }

    [Fact]
    public async Task Resolve_refuses_a_host_name_that_resolves_to_a_private_address()
    {
        var resolver = Substitute.For<IHostAddressResolver>();
        resolver.ResolveAsync("hooks.example.test", Arg.Any<CancellationToken>())
            .Returns(new ValueTask<IReadOnlyList<IPAddress>>([IPAddress.Parse("10.1.2.3")]));
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var command = CheckUrlCommand.Create(new CliContext(stdout, stderr), resolver);

        var withoutResolve = await command.Parse(["https://hooks.example.test/hook"]).InvokeAsync();
        var withResolve = await command.Parse(["https://hooks.example.test/hook", "--resolve"]).InvokeAsync();

        Assert.Equal(0, withoutResolve);
        Assert.Equal(1, withResolve);
        Assert.Contains("refused (DisallowedAddress): The host 'hooks.example.test' resolves to 10.1.2.3", stdout.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_url_is_bad_usage()
    {
        var (code, _, error) = await CliRunner.RunAsync("check-url");
        Assert.Equal(2, code);
        Assert.False(string.IsNullOrWhiteSpace(error));
    }

    [Fact]
    public async Task Unknown_option_is_bad_usage()
    {
        var (code, _, error) = await CliRunner.RunAsync("check-url", "https://example.com/", "--allow-everything");
        Assert.Equal(2, code);
        Assert.Contains("--allow-everything", error, StringComparison.Ordinal);
    }
}

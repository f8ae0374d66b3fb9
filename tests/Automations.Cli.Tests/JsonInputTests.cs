namespace Automations.Cli.Tests;

public sealed class JsonInputTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("automations-jsoninput-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("{}")]
    [InlineData("  \n{\"a\":1}")]
    [InlineData("[1,2]")]
    [InlineData("{not even json")]
    public void Text_starting_with_a_brace_or_bracket_is_inline_json(string value)
    {
        Assert.True(JsonInput.TryRead(value, out var json, out var error));
        Assert.Equal(value, json);
        Assert.Empty(error);
    }

    [Fact]
    public void Anything_else_is_a_file_path()
    {
        var path = Path.Combine(_dir, "f.json");
        File.WriteAllText(path, """{"alias":"prod"}""");
        Assert.True(JsonInput.TryRead(path, out var json, out _));
        Assert.Equal("""{"alias":"prod"}""", json);
    }

    [Theory]
    [InlineData("")]
    [InlineData("no-such-file.json")]
    [InlineData("\"quoted\"")]
    public void Neither_json_nor_a_file_is_an_error(string value)
    {
        Assert.False(JsonInput.TryRead(value, out var json, out var error));
        Assert.Empty(json);
        Assert.NotEmpty(error);
    }

    [Fact]
    public void A_directory_is_not_a_file()
    {
        Assert.False(JsonInput.TryRead(_dir, out _, out var error));
        Assert.Contains("neither inline JSON", error, StringComparison.Ordinal);
    }
}

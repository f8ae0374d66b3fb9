using Automations.Core.Domain;

namespace Automations.Core.Tests.Domain;

public class ValidationProblemCollectorTests
{
    [Theory]
    [InlineData("", "a", "a")]
    [InlineData("trigger", "", "trigger")]
    [InlineData("trigger", "filter", "trigger.filter")]
    [InlineData("$and", "[0]", "$and[0]")]
    public void Combine_joins_paths(string prefix, string path, string expected)
        => Assert.Equal(expected, ValidationProblemCollector.Combine(prefix, path));

    [Fact]
    public void ThrowIfInvalid_reports_every_problem_with_its_path()
    {
        var collector = new ValidationProblemCollector();
        collector.Add("name", "must not be empty");
        collector.AddRange("trigger", [new ValidationProblem("filter", "bad operator")]);

        var ex = Assert.Throws<AutomationValidationException>(collector.ThrowIfInvalid);

        Assert.Equal(2, ex.Problems.Count);
        Assert.Equal("trigger.filter", ex.Problems[1].Path);
        Assert.Contains("name: must not be empty", ex.Message, StringComparison.Ordinal);
        Assert.Contains("trigger.filter: bad operator", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_collector_is_valid_and_does_not_throw()
    {
        var collector = new ValidationProblemCollector();
        Assert.True(collector.IsValid);
        collector.ThrowIfInvalid();
        Assert.Empty(collector.Problems);
    }
}

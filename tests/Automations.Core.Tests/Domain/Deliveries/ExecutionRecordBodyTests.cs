using System.Text;
using Automations.Core.Abstractions;
using Automations.Core.Domain.Deliveries;
using Automations.Core.Domain.Events;

namespace Automations.Core.Tests.Domain.Deliveries;

public class ExecutionRecordBodyTests
{
    private static ExecutionRecord Row(string? body) => new()
    {
        Id = "exe_1",
        DeliveryId = "dlv_1",
        AutomationId = "aut_1",
        Entity = "acme",
        EventId = "evt_1",
        EventType = ArtifactEventType.LinkArtifact,
        At = new DateTimeOffset(2026, 11, 27, 9, 0, 0, TimeSpan.Zero),
        Status = ExecutionStatus.Succeeded,
        RequestBody = body,
    };

    [Theory]
    [InlineData("""{"a":"plain ascii"}""")]
    [InlineData("""{"a":"日本語 émoji 🚀 \u2028"}""")]
    [InlineData("")]
    [InlineData("lone \ud800 surrogate")]
    [InlineData("reversed \udc00\ud800 pair")]
    public void The_recorded_body_reads_back_exactly_as_given(string body)
    {
        var row = Row(body);

        Assert.Equal(body, row.RequestBody);
        Assert.Equal(body, (row with { Attempt = 2 }).RequestBody);
        Assert.Equal(body, (ActionResult.Success() with { RequestBody = body }).RequestBody);
    }

    [Fact]
    public void No_body_stays_null()
    {
        Assert.Null(Row(null).RequestBody);
        Assert.Null(ActionResult.Success().RequestBody);
    }

    [Fact]
    public void Rows_compare_by_the_body_text_not_by_its_storage()
    {
        const string body = """{"k":"v"}""";
        var fromText = Row(body);
        var fromBytes = Row(null) with { RequestBodyText = Utf8Text.FromUtf8(Encoding.UTF8.GetBytes(body)) };

        Assert.Equal(fromText, fromBytes);
        Assert.Equal(fromText.GetHashCode(), fromBytes.GetHashCode());
        Assert.NotEqual(fromText, Row("""{"k":"w"}"""));
        Assert.NotEqual(fromText, Row(null));
        Assert.Equal(Row("x \ud800"), Row("x \ud800"));
        Assert.NotEqual(Row("x \ud800"), Row("x \ud801"));
    }

    [Fact]
    public void The_record_text_shows_the_body()
        => Assert.Contains("RequestBody = {\"k\":1}", Row("""{"k":1}""").ToString(), StringComparison.Ordinal);
}

using System.Text;

namespace Automations.Core.Tests.Signing;

/// <summary>Published vectors and helpers shared by the signing tests.</summary>
internal static class SigningTestData
{
    // The Standard Webhooks reference libraries' vector (standard-webhooks/standard-webhooks, every language's tests).
    public const string StandardSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    public const string StandardMessageId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    public const long StandardTimestamp = 1614265330;
    public const string StandardPayload = "{\"test\": 2432232314}";
    public const string StandardExpectedSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    // The W&B doc's curl example payload, signed with
    // echo -n "$PAYLOAD" | openssl dgst -sha256 -hmac "$SECRET" -binary | base64
    public const string WandbSecret = "your_api_secret";
    public const string WandbPayload = "{\"key1\": \"value1\", \"key2\": \"value2\"}";
    public const string WandbExpectedSignature = "4tKqnWHayH0Vdy0mtiM/LbZ7bOGK7h+UrHO5F40Uk8U=";

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    public static DateTimeOffset StandardTime => DateTimeOffset.FromUnixTimeSeconds(StandardTimestamp);
}

using System.Buffers.Text;
using System.Globalization;
using System.Text;
using Automations.Core.Domain;

namespace Automations.Sqlite.Internal;

/// <summary>Opaque page tokens: base64url of a small text form (a row sequence, or a name and an id).</summary>
internal static class PageTokens
{
    public static string EncodeSequence(long sequence) => Encode("s" + sequence.ToString(CultureInfo.InvariantCulture));

    public static long? DecodeSequence(string? token)
    {
        var text = Decode(token);
        if (text is null)
        {
            return null;
        }

        return text.Length > 1 && text[0] == 's' && long.TryParse(text.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw Invalid();
    }

    public static string EncodeNameId(string name, string id) => Encode("n" + name + "\0" + id);

    public static (string Name, string Id)? DecodeNameId(string? token)
    {
        var text = Decode(token);
        if (text is null)
        {
            return null;
        }

        var split = text.IndexOf('\0', StringComparison.Ordinal);
        return text.Length > 0 && text[0] == 'n' && split > 0 ? (text[1..split], text[(split + 1)..]) : throw Invalid();
    }

    private static string Encode(string text) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(text));

    private static string? Decode(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }

        try
        {
            return Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token));
        }
        catch (FormatException)
        {
            throw Invalid();
        }
    }

    private static AutomationValidationException Invalid() => new("pageToken", "The page token is not one this store issued.");
}

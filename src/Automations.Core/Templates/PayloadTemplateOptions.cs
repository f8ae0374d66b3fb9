namespace Automations.Core.Templates;

/// <summary>How <see cref="PayloadTemplate.Parse(string, PayloadTemplateOptions?)"/> compiles a template.</summary>
public sealed class PayloadTemplateOptions
{
    /// <summary>The default size limit of a template: 256 KiB of UTF-8.</summary>
    public const int DefaultMaxTemplateBytes = 256 * 1024;

    /// <summary>The default options.</summary>
    public static PayloadTemplateOptions Default { get; } = new();

    /// <summary>
    /// The largest template accepted, in UTF-8 bytes; larger templates are rejected with a validation problem.
    /// Default <see cref="DefaultMaxTemplateBytes"/>; must be at least 2 (the size of <c>{}</c>).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 2.</exception>
    public int MaxTemplateBytes
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 2);
            field = value;
        }
    } = DefaultMaxTemplateBytes;

    /// <summary>
    /// Formats <c>${artifact_version}</c> from <see cref="TemplateContext.ArtifactId"/>. Default
    /// <see cref="WandbArtifactReferenceFormatter.Instance"/> (written without allocating).
    /// </summary>
    /// <exception cref="ArgumentNullException">The value is <see langword="null"/>.</exception>
    public IArtifactReferenceFormatter ArtifactReferenceFormatter
    {
        get;
        init => field = value ?? throw new ArgumentNullException(nameof(value));
    } = WandbArtifactReferenceFormatter.Instance;
}

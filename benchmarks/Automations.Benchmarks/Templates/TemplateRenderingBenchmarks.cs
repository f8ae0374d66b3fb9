using System.Buffers;
using System.Text;
using System.Text.RegularExpressions;
using Automations.Core.Templates;
using BenchmarkDotNet.Attributes;
using Fluid;
using HandlebarsDotNet;

namespace Automations.Benchmarks.Templates;

/// <summary>
/// Renders the seed's payloads (GitHub repository_dispatch and Slack blocks) with our compiled UTF-8 renderer and
/// with the usual alternatives, all pre-compiled/pre-parsed and all producing the same bytes (checked in setup).
/// The baselines get the artifact reference already formatted and do no JSON escaping (the values need none), so
/// they do strictly less work than ours; they also return a string, while ours writes UTF-8 bytes.
/// </summary>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
public class TemplateRenderingBenchmarks
{
    private static readonly Regex s_placeholder = new(@"\$\{([a-z_]+)\}", RegexOptions.Compiled | RegexOptions.CultureInvariant);

    private readonly ArrayBufferWriter<byte> _writer = new(4096);
    private readonly byte[] _copyTarget = new byte[4096];

    private PayloadTemplate _template = null!;
    private Automations.Core.Templates.TemplateContext _context = null!;
    private string _text = null!;
    private (string Placeholder, string Value)[] _replacements = null!;
    private Dictionary<string, string> _values = null!;
    private MatchEvaluator _evaluator = null!;
    private IFluidTemplate _fluid = null!;
    private Fluid.TemplateContext _fluidContext = null!;
    private HandlebarsTemplate<object, object> _handlebars = null!;
    private Dictionary<string, object> _handlebarsData = null!;
    private byte[] _expected = null!;

    /// <summary>Which seed payload to render.</summary>
    [Params("GitHubDispatch", "Slack")]
    public string Payload { get; set; } = "GitHubDispatch";

    [GlobalSetup]
    public void Setup()
    {
        _template = Payload == "Slack" ? PayloadTemplatePresets.Slack : PayloadTemplatePresets.GitHubRepositoryDispatch;
        _text = _template.Text;
        _context = new Automations.Core.Templates.TemplateContext
        {
            EventType = "ADD_ARTIFACT_ALIAS",
            EventAuthor = "ml-platform-automation-bot@acme-research.example",
            ArtifactId = "1234567890123",
            ArtifactVersionString = "acme-research-lab-vision/image-classification-resnet50-finetuning/imagenet-2012-training-dataset-augmented-v2:production",
            ArtifactCollectionName = "imagenet-2012-training-dataset-augmented-v2",
            ProjectName = "image-classification-resnet50-finetuning",
            EntityName = "acme-research-lab-vision",
        };

        _values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["event_type"] = _context.EventType,
            ["event_author"] = _context.EventAuthor,
            ["artifact_version"] = WandbArtifactReferenceFormatter.Instance.Format(_context.ArtifactId),
            ["artifact_version_string"] = _context.ArtifactVersionString,
            ["artifact_collection_name"] = _context.ArtifactCollectionName,
            ["project_name"] = _context.ProjectName,
            ["entity_name"] = _context.EntityName,
        };
        _replacements = _template.Variables.Select(v => ("${" + v + "}", _values[v])).ToArray();
        _evaluator = m => _values[m.Groups[1].Value];

        var liquid = s_placeholder.Replace(_text, m => "{{ " + m.Groups[1].Value + " }}");
        if (!new FluidParser().TryParse(liquid, out _fluid, out var error))
        {
            throw new InvalidOperationException("Fluid could not parse the template: " + error);
        }

        _fluidContext = new Fluid.TemplateContext();
        foreach (var (name, value) in _values)
        {
            _fluidContext.SetValue(name, value);
        }

        _handlebars = Handlebars.Create().Compile(s_placeholder.Replace(_text, m => "{{{" + m.Groups[1].Value + "}}}"));
        _handlebarsData = _values.ToDictionary(p => p.Key, p => (object)p.Value, StringComparer.Ordinal);

        _expected = _template.RenderToUtf8Bytes(_context);
        var expected = Encoding.UTF8.GetString(_expected);
        var written = Ours();
        Check(nameof(Ours), Encoding.UTF8.GetString(_writer.WrittenSpan[..written]), expected);
        Check(nameof(OursToString), OursToString(), expected);
        Check(nameof(StringReplaceChained), StringReplaceChained(), expected);
        Check(nameof(CompiledRegexReplace), CompiledRegexReplace(), expected);
        Check(nameof(FluidPreParsed), FluidPreParsed(), expected);
        Check(nameof(HandlebarsPreCompiled), HandlebarsPreCompiled(), expected);
        if (MemcpyFloor() != _expected.Length || !_copyTarget.AsSpan(0, _expected.Length).SequenceEqual(_expected))
        {
            throw new InvalidOperationException("The memcpy floor does not copy the payload.");
        }

        Console.WriteLine($"// {Payload}: {_expected.Length} bytes rendered, {_template.PlaceholderCount} placeholders");
    }

    /// <summary>Ours: compiled template → UTF-8 into a reused buffer writer.</summary>
    [Benchmark(Baseline = true)]
    public int Ours()
    {
        _writer.ResetWrittenCount();
        _template.Render(_context, null, _writer);
        return _writer.WrittenCount;
    }

    /// <summary>Ours, returning a string like the baselines do.</summary>
    [Benchmark]
    public string OursToString() => _template.RenderToString(_context);

    [Benchmark]
    public string StringReplaceChained()
    {
        var s = _text;
        foreach (var (placeholder, value) in _replacements)
        {
            s = s.Replace(placeholder, value, StringComparison.Ordinal);
        }

        return s;
    }

    [Benchmark]
    public string CompiledRegexReplace() => s_placeholder.Replace(_text, _evaluator);

    [Benchmark]
    public string FluidPreParsed() => _fluid.Render(_fluidContext);

    [Benchmark]
    public string HandlebarsPreCompiled() => _handlebars(_handlebarsData);

    /// <summary>The floor: copying the finished payload's bytes.</summary>
    [Benchmark]
    public int MemcpyFloor()
    {
        _expected.AsSpan().CopyTo(_copyTarget);
        return _expected.Length;
    }

    private static void Check(string name, string actual, string expected)
    {
        if (!string.Equals(actual, expected, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"{name} does not produce the same payload as ours:\n{actual}\n--- expected ---\n{expected}");
        }
    }
}

using System.Diagnostics;
using PubSub.CloudFormation.Linting;
using PubSub.Emulators;
using Xunit.Abstractions;

namespace PubSub.UnitTests.CloudFormation;

/// <summary>YAML templates with the short forms, and our linter beside the standard one (cfn-lint, when it
/// is on PATH) over the same broken templates: what cfn-lint finds and ours does not is listed, and only
/// the known gaps may stay unfound.</summary>
public sealed class TemplateLinterYamlTests(ITestOutputHelper output)
{
    /// <summary>Every short form; clean for both linters.</summary>
    private const string Valid = """
        AWSTemplateFormatVersion: "2010-09-09"
        Parameters:
          Retention: { Type: Number, Default: 345600 }
          Env:
            Type: String
            Default: prod
            AllowedValues: [prod, test]
        Conditions:
          IsProd: !Equals [!Ref Env, prod]
          IsNotTest: !Not [!Equals [!Ref Env, test]]
          Both: !And [!Condition IsProd, !Condition IsNotTest]
          Either: !Or [!Condition IsProd, !Condition IsNotTest]
        Mappings:
          Sizes:
            prod: { Memory: 512 }
        Resources:
          Key:
            Type: AWS::KMS::Key
            DeletionPolicy: Retain
            UpdateReplacePolicy: Retain
            Properties:
              EnableKeyRotation: true
          Queue:
            Type: AWS::SQS::Queue
            DeletionPolicy: Retain
            UpdateReplacePolicy: Retain
            Properties:
              QueueName: !Sub ${AWS::StackName}-queue
              MessageRetentionPeriod: !Ref Retention
              KmsMasterKeyId: !GetAtt Key.Arn
              DelaySeconds: !If [IsProd, 0, !Ref AWS::NoValue]
              Tags:
                - Key: team
                  Value: !Join ["-", [events, !Select [0, !Split [",", "a,b"]]]]
          Topic:
            Type: AWS::SNS::Topic
            DependsOn: Queue
            Condition: IsProd
          Subscription:
            Type: AWS::SNS::Subscription
            Condition: IsProd
            Properties:
              TopicArn: !Ref Topic
              Protocol: sqs
              Endpoint: !GetAtt [Queue, Arn]
              RawMessageDelivery: "true"
          Function:
            Type: AWS::Lambda::Function
            Properties:
              Runtime: nodejs22.x
              Handler: index.handler
              Code: { ZipFile: "exports.handler = async () => ({});" }
              Role: !Sub ["arn:${AWS::Partition}:iam::${AWS::AccountId}:role/${Name}", { Name: runner }]
              MemorySize: !FindInMap [Sizes, prod, Memory]
              Environment:
                Variables:
                  QUEUE: !Ref Queue
                  ZONE: !Select [0, !GetAZs ""]
                  ENCODED: !Base64 text
                  SUBNET: !Select [0, !Cidr ["10.0.0.0/16", 4, 8]]
                  SHARED: !ImportValue shared-output
        Outputs:
          QueueUrl:
            Condition: Both
            Value: !Ref Queue
          KeyArn:
            Condition: Either
            Value: !GetAtt Key.Arn
        """;

    /// <summary>Each case breaks <see cref="Valid"/> in one way that cfn-lint reports as an error.</summary>
    private static readonly (string Name, string Find, string Replace)[] Broken =
    [
        ("unknown resource type", "Type: AWS::SQS::Queue", "Type: AWS::SQS::Queu"),
        ("unknown property", "DelaySeconds:", "DelaySecond:"),
        ("integer as text", "MessageRetentionPeriod: !Ref Retention", "MessageRetentionPeriod: soon"),
        ("missing required property", "      Role: !Sub", "      Rol: !Sub"),
        ("string for a list", "Tags:\n        - Key: team\n          Value: !Join [\"-\", [events, !Select [0, !Split [\",\", \"a,b\"]]]]", "Tags: team"),
        ("ref of nothing", "TopicArn: !Ref Topic", "TopicArn: !Ref Topics"),
        ("getatt of an unknown attribute", "KmsMasterKeyId: !GetAtt Key.Arn", "KmsMasterKeyId: !GetAtt Key.Id"),
        ("getatt of nothing", "Endpoint: !GetAtt [Queue, Arn]", "Endpoint: !GetAtt [Queues, Arn]"),
        ("sub of nothing", "!Sub ${AWS::StackName}-queue", "!Sub ${AWS::StackNam}-queue"),
        ("unknown short form", "!Sub ${AWS::StackName}-queue", "!Subb ${AWS::StackName}-queue"),
        ("if of an unknown condition", "!If [IsProd, 0", "!If [IsProduction, 0"),
        ("condition of an unknown condition", "!And [!Condition IsProd", "!And [!Condition IsProduction"),
        ("condition of an unknown parameter", "IsProd: !Equals [!Ref Env, prod]", "IsProd: !Equals [!Ref Envs, prod]"),
        ("unknown mapping", "!FindInMap [Sizes, prod, Memory]", "!FindInMap [Size, prod, Memory]"),
        ("default not allowed", "Default: prod", "Default: staging"),
        ("depends on nothing", "DependsOn: Queue", "DependsOn: Queues"),
        ("bad deletion policy", "    DeletionPolicy: Retain\n    UpdateReplacePolicy: Retain\n    Properties:\n      EnableKeyRotation", "    DeletionPolicy: Keep\n    UpdateReplacePolicy: Retain\n    Properties:\n      EnableKeyRotation"),
        ("duplicate key", "      Protocol: sqs\n", "      Protocol: sqs\n      Protocol: sqs\n"),
        ("not yaml", "Outputs:\n", "Outputs:\n  - [\n"),
        ("value out of range", "      EnableKeyRotation: true\n", "      EnableKeyRotation: true\n      PendingWindowInDays: 3\n"),
        ("value not in the allowed set", "Runtime: nodejs22.x", "Runtime: nodejs2.x"),
        ("circular dependency", "    Type: AWS::KMS::Key\n", "    Type: AWS::KMS::Key\n    DependsOn: Queue\n"),
    ];

    /// <summary>What our linter does not check (the specification it reads has no ranges or enumerations,
    /// and it does not build the dependency graph); cfn-lint does.</summary>
    private static readonly HashSet<string> KnownMisses = ["value out of range", "value not in the allowed set", "circular dependency"];

    private static IReadOnlyList<LintFinding> Lint(string text) => new TemplateLinter(Specification.Instance).Lint(text);

    private static string Break(string find, string replace)
    {
        var valid = Valid.ReplaceLineEndings("\n");
        Assert.True(valid.Contains(find, StringComparison.Ordinal), $"'{find}' is not in the valid template");
        return valid.Replace(find, replace, StringComparison.Ordinal);
    }

    [Fact]
    public void A_yaml_template_with_every_short_form_passes() => Assert.Empty(Lint(Valid));

    [Fact]
    public void Short_forms_become_the_functions_cloudformation_reads()
    {
        var json = YamlTemplate.Parse("""
            a: !Ref X
            b: !GetAtt Queue.Outputs.Arn
            c: !GetAtt [Queue, Arn]
            d: !Condition IsProd
            e: !Sub [ "${A}", { A: 1 } ]
            f: !GetAZs ""
            g: [ 1, 1.5, "2", true, "false", ~, 2010-09-09, 0x1F ]
            """)!;

        Assert.Equal(
            """{"a":{"Ref":"X"},"b":{"Fn::GetAtt":["Queue","Outputs.Arn"]},"c":{"Fn::GetAtt":["Queue","Arn"]},"d":{"Condition":"IsProd"},"e":{"Fn::Sub":["${A}",{"A":1}]},"f":{"Fn::GetAZs":""},"g":[1,1.5,"2",true,"false",null,"2010-09-09","0x1F"]}""",
            json.ToJsonString());
    }

    [Theory]
    [InlineData("ref of nothing", "Ref to 'Topics', which is neither a parameter nor a resource. Did you mean 'Topic'?")]
    [InlineData("getatt of an unknown attribute", "AWS::KMS::Key has no attribute 'Id' (it has Arn, KeyId).")]
    [InlineData("unknown short form", "Unknown intrinsic function 'Fn::Subb'. Did you mean 'Fn::Sub'?")]
    [InlineData("condition of an unknown condition", "Condition 'IsProduction' is not defined.")]
    public void A_broken_yaml_template_gets_the_same_finding_as_json(string name, string expected)
    {
        var (_, find, replace) = Broken.Single(b => b.Name == name);

        Assert.Contains(Lint(Break(find, replace)), f => f.Severity == LintSeverity.Error && f.Message == expected);
    }

    [Fact]
    public void Text_that_is_not_yaml_is_an_error_with_its_place()
    {
        var finding = Assert.Single(Lint("Resources:\n  Queue: [\n"));

        Assert.StartsWith("Not valid YAML (line ", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ours_finds_every_broken_template_but_the_known_gaps()
    {
        var missed = Broken.Where(b => !Lint(Break(b.Find, b.Replace)).Any(f => f.Severity == LintSeverity.Error)).Select(b => b.Name).ToList();

        Assert.Equal(KnownMisses.Order(StringComparer.Ordinal), missed.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Beside_cfn_lint_ours_misses_only_the_known_gaps()
    {
        if (ExecutableSearch.OnPath("cfn-lint") is not { } cfnLint)
        {
            output.WriteLine("cfn-lint is not on PATH: the comparison with the standard linter did not run.");
            return;
        }

        var folder = Directory.CreateTempSubdirectory("pubsub-cfn-lint-").FullName;
        try
        {
            var files = new List<string> { Path.Combine(folder, "valid.yaml") };
            File.WriteAllText(files[0], Valid.ReplaceLineEndings("\n"));
            for (var i = 0; i < Broken.Length; i++)
            {
                files.Add(Path.Combine(folder, $"broken{i:D2}.yaml"));
                File.WriteAllText(files[^1], Break(Broken[i].Find, Broken[i].Replace));
            }

            var theirs = RunCfnLint(cfnLint, files);

            Assert.True(!theirs.ContainsKey(files[0]), $"cfn-lint finds errors in the valid template: {string.Join(", ", theirs.GetValueOrDefault(files[0]) ?? [])}");
            var misses = new List<string>();
            for (var i = 0; i < Broken.Length; i++)
            {
                var rules = theirs.GetValueOrDefault(files[i + 1]) ?? [];
                var ours = Lint(File.ReadAllText(files[i + 1])).Where(f => f.Severity == LintSeverity.Error).ToList();
                output.WriteLine($"{Broken[i].Name,-36} cfn-lint: {(rules.Count == 0 ? "-" : string.Join(" ", rules.Distinct()))}; ours: {(ours.Count == 0 ? "-" : ours[0].Message)}");
                Assert.True(rules.Count > 0, $"cfn-lint finds no error in '{Broken[i].Name}': the case is not broken");
                if (ours.Count == 0)
                {
                    misses.Add(Broken[i].Name);
                }
            }

            output.WriteLine($"Ours misses: {(misses.Count == 0 ? "nothing" : string.Join(", ", misses))}.");
            Assert.Subset(KnownMisses, misses.ToHashSet());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>The error rules cfn-lint reports per file (parseable format: FILE:LINE:COL:ENDLINE:ENDCOL:RULE:MESSAGE).</summary>
    private static Dictionary<string, List<string>> RunCfnLint(string cfnLint, List<string> files)
    {
        var start = new ProcessStartInfo(cfnLint) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in (string[])["--format", "parseable", "--", .. files])
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(2)), "cfn-lint did not finish within 2 minutes");
        Assert.True(process.ExitCode != 1, $"cfn-lint could not run: {stderr.Result}");

        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var line in stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (files.FirstOrDefault(f => line.StartsWith(f + ":", StringComparison.Ordinal)) is { } file
                && line[(file.Length + 1)..].Split(':', 6) is [_, _, _, _, var rule, _] && rule.StartsWith('E'))
            {
                (errors.TryGetValue(file, out var list) ? list : errors[file] = []).Add(rule);
            }
        }

        return errors;
    }
}

/// <summary>Review (s13): YAML input that the linter must answer with a finding, never an exception.</summary>
public sealed class TemplateLinterYamlReviewTests
{
    [Theory]
    [InlineData("1e400")]
    [InlineData("-1e400")]
    public void Review_a_yaml_number_beyond_a_double_is_a_finding_not_a_crash(string number)
    {
        var text = $"""
            AWSTemplateFormatVersion: "2010-09-09"
            Parameters:
              P:
                Type: Number
                Default: {number}
            Resources:
              Queue:
                Type: AWS::SQS::Queue
                DeletionPolicy: Retain
                UpdateReplacePolicy: Retain
                Properties:
                  DelaySeconds: !Ref P
            """;

        var exception = Record.Exception(() => new TemplateLinter(Specification.Instance).Lint(text));

        Assert.Null(exception);
    }
}

/// <summary>Nested aliases ("billion laughs"): a small file that expands to 10^9 nodes is a finding, found
/// after at most <c>YamlTemplate.MaxNodes</c> nodes, not an exhausted memory.</summary>
public sealed class TemplateLinterYamlAliasTests
{
    [Fact]
    public void Nested_aliases_that_expand_past_the_node_limit_are_a_finding()
    {
        var lines = new List<string> { "AWSTemplateFormatVersion: \"2010-09-09\"", "Metadata:", "  l0: &l0 [x, x, x, x, x, x, x, x, x, x]" };
        for (var i = 1; i < 9; i++)
        {
            lines.Add($"  l{i}: &l{i} [{string.Join(", ", Enumerable.Repeat($"*l{i - 1}", 10))}]");
        }

        lines.AddRange(["Resources:", "  Queue:", "    Type: AWS::SQS::Queue", "    DeletionPolicy: Retain", "    UpdateReplacePolicy: Retain"]);

        var findings = new TemplateLinter(Specification.Instance).Lint(string.Join('\n', lines));

        Assert.Contains(findings, f => f.Message.Contains("nodes", StringComparison.Ordinal));
    }
}

using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using PubSub.CloudFormation.Specification;
using YamlDotNet.Core;

namespace PubSub.CloudFormation.Linting;

/// <summary>Checks a CloudFormation template (JSON or YAML) against the resource specification: known resource
/// types and property names, value types, required properties, <c>Fn::GetAtt</c> attributes that exist,
/// <c>Ref</c>/<c>Fn::Sub</c>/<c>Fn::GetAtt</c>/<c>DependsOn</c> targets that exist, conditions and
/// mappings that exist, and parameters that are both defined and used. It does not call AWS: what
/// only a deployment can tell (names taken, limits, permissions) stays for the deployment.</summary>
public sealed partial class TemplateLinter(ResourceSpecification specification)
{
    /// <summary>Lints a template in JSON or, when it does not start with '{', in YAML (short forms included).</summary>
    public IReadOnlyList<LintFinding> Lint(string text)
    {
        string json;
        if (text.TrimStart().StartsWith('{'))
        {
            json = text;
        }
        else
        {
            try
            {
                json = YamlTemplate.Parse(text)?.ToJsonString() ?? "null";
            }
            catch (YamlException e)
            {
                var where = e.Start.Line > 0 ? $" (line {e.Start.Line}, column {e.Start.Column})" : "";
                return [new LintFinding(LintSeverity.Error, "", $"Not valid YAML{where}: {e.Message}")];
            }
            catch (InvalidOperationException e)
            {
                // YamlDotNet 18.1's scanner throws this, not a YamlException, on some broken text (an unclosed flow sequence).
                return [new LintFinding(LintSeverity.Error, "", $"Not valid YAML: {e.Message}")];
            }
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            return [new LintFinding(LintSeverity.Error, "", $"Not valid JSON: {e.Message}")];
        }

        using (document)
        {
            return Lint(document.RootElement);
        }
    }

    public IReadOnlyList<LintFinding> Lint(JsonElement template) => new Run(specification, template).Execute();

    /// <summary>Properties whose value may be a local path that <c>aws cloudformation package</c> uploads
    /// and replaces with an S3 location before the template reaches CloudFormation.</summary>
    private static readonly HashSet<(string Type, string Property)> PackagedProperties =
    [
        ("AWS::Lambda::Function", "Code"),
        ("AWS::Lambda::LayerVersion", "Content"),
        ("AWS::Serverless::Function", "CodeUri"),
        ("AWS::ApiGateway::RestApi", "BodyS3Location"),
        ("AWS::StepFunctions::StateMachine", "DefinitionS3Location"),
    ];

    private static readonly HashSet<string> PseudoParameters =
    [
        "AWS::AccountId", "AWS::NotificationARNs", "AWS::NoValue", "AWS::Partition", "AWS::Region", "AWS::StackId",
        "AWS::StackName", "AWS::URLSuffix",
    ];

    private static readonly HashSet<string> Sections =
    [
        "AWSTemplateFormatVersion", "Description", "Metadata", "Parameters", "Rules", "Mappings", "Conditions", "Transform",
        "Resources", "Outputs",
    ];

    private static readonly HashSet<string> ResourceKeys =
    [
        "Type", "Properties", "DependsOn", "Condition", "DeletionPolicy", "UpdateReplacePolicy", "Metadata", "CreationPolicy", "UpdatePolicy",
    ];

    private static readonly HashSet<string> ValueFunctions =
    [
        "Fn::Base64", "Fn::Cidr", "Fn::FindInMap", "Fn::GetAtt", "Fn::GetAZs", "Fn::If", "Fn::ImportValue", "Fn::Join", "Fn::Length",
        "Fn::Select", "Fn::Split", "Fn::Sub", "Fn::ToJsonString", "Fn::Transform", "Ref",
    ];

    /// <summary>The resource types cfn-lint's I3011 counts as stateful (its StatefulResources.json, cfn-lint 1.51).</summary>
    private static readonly HashSet<string> StatefulTypes =
    [
        "AWS::Backup::BackupVault", "AWS::CloudFormation::Stack", "AWS::Cognito::UserPool", "AWS::DocDB::DBCluster", "AWS::DocDB::DBInstance",
        "AWS::DynamoDB::GlobalTable", "AWS::DynamoDB::Table", "AWS::EC2::Volume", "AWS::EFS::FileSystem", "AWS::EMR::Cluster",
        "AWS::ElastiCache::CacheCluster", "AWS::ElastiCache::ReplicationGroup", "AWS::Elasticsearch::Domain", "AWS::FSx::FileSystem", "AWS::KMS::Key",
        "AWS::Kinesis::Stream", "AWS::Logs::LogGroup", "AWS::Neptune::DBCluster", "AWS::Neptune::DBInstance", "AWS::OpenSearchService::Domain",
        "AWS::Organizations::Account", "AWS::QLDB::Ledger", "AWS::RDS::DBCluster", "AWS::RDS::DBInstance", "AWS::Redshift::Cluster", "AWS::S3::Bucket",
        "AWS::SDB::Domain", "AWS::SQS::Queue", "AWS::SecretsManager::Secret",
    ];

    private static readonly HashSet<string> ConditionFunctions = ["Fn::And", "Fn::Equals", "Fn::If", "Fn::Not", "Fn::Or", "Condition"];

    [GeneratedRegex(@"\$\{([^}]*)\}")]
    private static partial Regex SubVariable();

    /// <summary>One linting pass over one template; collects findings.</summary>
    private sealed class Run(ResourceSpecification spec, JsonElement template)
    {
        private readonly List<LintFinding> _findings = [];
        private readonly Dictionary<string, JsonElement> _parameters = Section(template, "Parameters");
        private readonly Dictionary<string, JsonElement> _resources = Section(template, "Resources");
        private readonly Dictionary<string, JsonElement> _conditions = Section(template, "Conditions");
        private readonly Dictionary<string, JsonElement> _mappings = Section(template, "Mappings");
        private readonly HashSet<string> _usedParameters = new(StringComparer.Ordinal);
        private bool _inConditions;

        private static Dictionary<string, JsonElement> Section(JsonElement template, string name) =>
            template.ValueKind == JsonValueKind.Object && template.TryGetProperty(name, out var section) && section.ValueKind == JsonValueKind.Object
                ? section.EnumerateObject().ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal)
                : [];

        private void Error(string path, string message) => _findings.Add(new LintFinding(LintSeverity.Error, path, message));

        private void Warning(string path, string message) => _findings.Add(new LintFinding(LintSeverity.Warning, path, message));

        public List<LintFinding> Execute()
        {
            if (template.ValueKind != JsonValueKind.Object)
            {
                Error("", "A template is an object (a JSON object or a YAML mapping).");
                return _findings;
            }

            foreach (var section in template.EnumerateObject().Where(s => !Sections.Contains(s.Name)))
            {
                Error(section.Name, $"'{section.Name}' is not a template section.{Suggestions.For(section.Name, Sections)}");
            }

            if (_resources.Count == 0)
            {
                Error("Resources", "A template needs a Resources section with at least one resource.");
            }

            if (template.TryGetProperty("Transform", out _))
            {
                Warning("Transform", "The template uses a transform; it is checked as written, before the transform expands it.");
            }

            CheckParameters();
            _inConditions = true;
            foreach (var (name, condition) in _conditions)
            {
                WalkCondition(condition, $"Conditions/{name}");
            }

            _inConditions = false;
            foreach (var (name, resource) in _resources)
            {
                CheckResource(name, resource, $"Resources/{name}");
            }

            CheckOutputs();
            foreach (var name in _parameters.Keys.Where(p => !_usedParameters.Contains(p)))
            {
                Error($"Parameters/{name}", $"Parameter '{name}' is defined but never used.");
            }

            return _findings;
        }

        private void CheckParameters()
        {
            foreach (var (name, parameter) in _parameters)
            {
                var path = $"Parameters/{name}";
                if (parameter.ValueKind != JsonValueKind.Object || !parameter.TryGetProperty("Type", out var type) || type.ValueKind != JsonValueKind.String)
                {
                    Error(path, "A parameter needs a Type.");
                    continue;
                }

                if (parameter.TryGetProperty("AllowedValues", out var allowed) && allowed.ValueKind == JsonValueKind.Array
                    && parameter.TryGetProperty("Default", out var fallback)
                    && !allowed.EnumerateArray().Any(a => Scalar(a) == Scalar(fallback)))
                {
                    Error($"{path}/Default", $"The default '{Scalar(fallback)}' is not one of the allowed values.");
                }
            }
        }

        private void CheckResource(string name, JsonElement resource, string path)
        {
            if (resource.ValueKind != JsonValueKind.Object)
            {
                Error(path, "A resource is a JSON object.");
                return;
            }

            foreach (var key in resource.EnumerateObject().Where(k => !ResourceKeys.Contains(k.Name)))
            {
                Error($"{path}/{key.Name}", $"'{key.Name}' is not a resource attribute.{Suggestions.For(key.Name, ResourceKeys)}");
            }

            if (!resource.TryGetProperty("Type", out var typeElement) || typeElement.ValueKind != JsonValueKind.String)
            {
                Error(path, "A resource needs a Type.");
                return;
            }

            var type = typeElement.GetString()!;
            CheckResourceAttributes(resource, path);
            if (StatefulTypes.Contains(type) && (!resource.TryGetProperty("DeletionPolicy", out _) || !resource.TryGetProperty("UpdateReplacePolicy", out _)))
            {
                Warning(path, $"{type} holds state: set DeletionPolicy and UpdateReplacePolicy (without them, deleting the stack or replacing the resource deletes it).");
            }

            var properties = resource.TryGetProperty("Properties", out var p) ? p : default;
            if (properties.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Object))
            {
                Error($"{path}/Properties", "Properties is a JSON object.");
                return;
            }

            if (IsCustom(type))
            {
                if (properties.ValueKind != JsonValueKind.Object || !properties.TryGetProperty("ServiceToken", out _))
                {
                    Error($"{path}/Properties", "A custom resource needs a ServiceToken.");
                }

                Walk(properties, $"{path}/Properties");
                return;
            }

            if (!spec.ResourceTypes.TryGetValue(type, out var resourceType))
            {
                Error($"{path}/Type", $"Unknown resource type '{type}'.{Suggestions.For(type, spec.ResourceTypes.Keys)}");
                return;
            }

            CheckProperties(properties, resourceType.Properties, $"{path}/Properties", type);
        }

        private void CheckResourceAttributes(JsonElement resource, string path)
        {
            if (resource.TryGetProperty("DependsOn", out var dependsOn))
            {
                var targets = dependsOn.ValueKind == JsonValueKind.Array ? dependsOn.EnumerateArray().ToList() : [dependsOn];
                foreach (var target in targets)
                {
                    if (target.ValueKind != JsonValueKind.String || !_resources.ContainsKey(target.GetString()!))
                    {
                        Error($"{path}/DependsOn", $"DependsOn names '{Scalar(target)}', which is not a resource.{Suggestions.For(Scalar(target), _resources.Keys)}");
                    }
                }
            }

            if (resource.TryGetProperty("Condition", out var condition))
            {
                CheckConditionName(Scalar(condition), $"{path}/Condition");
            }

            CheckPolicy(resource, "DeletionPolicy", ["Delete", "Retain", "RetainExceptOnCreate", "Snapshot"], path);
            CheckPolicy(resource, "UpdateReplacePolicy", ["Delete", "Retain", "Snapshot"], path);
        }

        private void CheckPolicy(JsonElement resource, string name, string[] allowed, string path)
        {
            if (resource.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && !allowed.Contains(value.GetString()))
            {
                Error($"{path}/{name}", $"{name} must be one of {string.Join(", ", allowed)}.");
            }
        }

        private void CheckProperties(JsonElement properties, IReadOnlyDictionary<string, PropertySpec> specs, string path, string? resourceType)
        {
            if (properties.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in properties.EnumerateObject())
                {
                    var propertyPath = $"{path}/{property.Name}";
                    if (!specs.TryGetValue(property.Name, out var propertySpec))
                    {
                        Error(propertyPath, $"Unknown property '{property.Name}'.{Suggestions.For(property.Name, specs.Keys)}");
                        Walk(property.Value, propertyPath);
                    }
                    else if (resourceType is not null && property.Value.ValueKind == JsonValueKind.String
                             && PackagedProperties.Contains((resourceType, property.Name)))
                    {
                        // a local path for 'aws cloudformation package'
                    }
                    else
                    {
                        CheckTyped(property.Value, propertySpec, propertyPath);
                    }
                }
            }

            foreach (var (name, _) in specs.Where(s => s.Value.Required))
            {
                if (properties.ValueKind != JsonValueKind.Object || !properties.TryGetProperty(name, out _))
                {
                    Error(path, $"Required property '{name}' is missing.");
                }
            }
        }

        private void CheckTyped(JsonElement value, PropertySpec property, string path)
        {
            if (property.PreviousTypes.Count == 0)
            {
                CheckValue(value, property.Type, path);
                return;
            }

            // Accept the current type or a previous one; report against the current type.
            if (property.PreviousTypes.Any(t => Quietly(() => CheckValue(value, t, path)) == 0))
            {
                Walk(value, path);
                return;
            }

            CheckValue(value, property.Type, path);
        }

        /// <summary>Runs a check and returns how many errors it would have reported, reporting none.</summary>
        private int Quietly(Action check)
        {
            var before = _findings.Count;
            check();
            var added = _findings.Skip(before).Count(f => f.Severity == LintSeverity.Error);
            _findings.RemoveRange(before, _findings.Count - before);
            return added;
        }

        private void CheckValue(JsonElement value, TypeSpec type, string path)
        {
            if (IsIntrinsic(value, out var function, out var argument))
            {
                if (function == "Fn::If" && argument.ValueKind == JsonValueKind.Array && argument.GetArrayLength() == 3)
                {
                    CheckConditionName(Scalar(argument[0]), $"{path}/Fn::If");
                    CheckValue(argument[1], type, $"{path}/Fn::If[1]");
                    CheckValue(argument[2], type, $"{path}/Fn::If[2]");
                }
                else
                {
                    CheckIntrinsic(function, argument, path);
                }

                return;
            }

            switch (type.Kind)
            {
                case TypeKind.String or TypeKind.DateTime:
                    Expect(value.ValueKind is JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False, "a string", value, path);
                    break;
                case TypeKind.Integer:
                    Expect(value.ValueKind == JsonValueKind.Number ? value.TryGetInt64(out _)
                        : value.ValueKind == JsonValueKind.String && long.TryParse(value.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out _),
                        "an integer", value, path);
                    break;
                case TypeKind.Number:
                    Expect(value.ValueKind == JsonValueKind.Number
                        || (value.ValueKind == JsonValueKind.String && double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out _)),
                        "a number", value, path);
                    break;
                case TypeKind.Boolean:
                    Expect(value.ValueKind is JsonValueKind.True or JsonValueKind.False
                        || (value.ValueKind == JsonValueKind.String && value.GetString() is "true" or "false" or "True" or "False"),
                        "a boolean", value, path);
                    break;
                case TypeKind.Json:
                    Walk(value, path);
                    break;
                case TypeKind.Tag:
                    if (Expect(value.ValueKind == JsonValueKind.Object, "a tag ({\"Key\": ..., \"Value\": ...})", value, path))
                    {
                        CheckProperties(value, TagProperties, path, null);
                    }

                    break;
                case TypeKind.Array:
                    if (Expect(value.ValueKind == JsonValueKind.Array, "a list", value, path))
                    {
                        var i = 0;
                        foreach (var item in value.EnumerateArray())
                        {
                            CheckValue(item, type.Element!, $"{path}[{i++}]");
                        }
                    }

                    break;
                case TypeKind.Map:
                    if (Expect(value.ValueKind == JsonValueKind.Object, "a map", value, path))
                    {
                        foreach (var entry in value.EnumerateObject())
                        {
                            CheckValue(entry.Value, type.Element!, $"{path}/{entry.Name}");
                        }
                    }

                    break;
                case TypeKind.Object:
                    if (Expect(value.ValueKind == JsonValueKind.Object, "an object", value, path)
                        && spec.ObjectTypes.TryGetValue(type.ObjectId!, out var objectType))
                    {
                        if (objectType.Properties.Count == 0)
                        {
                            Walk(value, path); // an open object
                        }
                        else
                        {
                            CheckProperties(value, objectType.Properties, path, null);
                        }
                    }

                    break;
                case TypeKind.Union:
                    var errors = type.Members!.Select(m => Quietly(() => CheckValue(value, m, path))).ToList();
                    if (!errors.Contains(0))
                    {
                        // Report against the member that came closest.
                        CheckValue(value, type.Members![errors.IndexOf(errors.Min())], path);
                    }

                    break;
            }
        }

        private static readonly Dictionary<string, PropertySpec> TagProperties = new(StringComparer.Ordinal)
        {
            ["Key"] = new(TypeSpec.String, true, []),
            ["Value"] = new(TypeSpec.String, true, []),
        };

        private bool Expect(bool ok, string expected, JsonElement value, string path)
        {
            if (!ok)
            {
                Error(path, $"Expected {expected}, found {Describe(value)}.");
            }

            return ok;
        }

        private static string Describe(JsonElement value) => value.ValueKind switch
        {
            JsonValueKind.Object => "an object",
            JsonValueKind.Array => "a list",
            JsonValueKind.String => $"the string \"{Shorten(value.GetString()!)}\"",
            JsonValueKind.Number => $"the number {value.GetRawText()}",
            JsonValueKind.True or JsonValueKind.False => $"the boolean {value.GetRawText()}",
            _ => "null",
        };

        private static string Shorten(string text) => text.Length <= 40 ? text : text[..37] + "...";

        /// <summary>Finds and checks intrinsic functions anywhere inside an untyped value.</summary>
        private void Walk(JsonElement value, string path)
        {
            if (IsIntrinsic(value, out var function, out var argument))
            {
                CheckIntrinsic(function, argument, path);
                return;
            }

            switch (value.ValueKind)
            {
                case JsonValueKind.Object:
                    foreach (var property in value.EnumerateObject())
                    {
                        Walk(property.Value, $"{path}/{property.Name}");
                    }

                    break;
                case JsonValueKind.Array:
                    var i = 0;
                    foreach (var item in value.EnumerateArray())
                    {
                        Walk(item, $"{path}[{i++}]");
                    }

                    break;
            }
        }

        private void WalkCondition(JsonElement value, string path)
        {
            if (value.ValueKind == JsonValueKind.Object && value.EnumerateObject().Count() == 1)
            {
                var only = value.EnumerateObject().First();
                if (only.Name == "Condition")
                {
                    CheckConditionName(Scalar(only.Value), path);
                    return;
                }

                if (only.Name.StartsWith("Fn::", StringComparison.Ordinal) && ConditionFunctions.Contains(only.Name) && only.Name != "Fn::If")
                {
                    foreach (var item in only.Value.ValueKind == JsonValueKind.Array ? only.Value.EnumerateArray() : Enumerable.Empty<JsonElement>())
                    {
                        WalkCondition(item, $"{path}/{only.Name}");
                    }

                    return;
                }
            }

            Walk(value, path);
        }

        private static bool IsIntrinsic(JsonElement value, out string function, out JsonElement argument)
        {
            if (value.ValueKind == JsonValueKind.Object)
            {
                using var properties = value.EnumerateObject();
                if (properties.MoveNext())
                {
                    var first = properties.Current;
                    if (!properties.MoveNext() && (first.Name == "Ref" || first.Name.StartsWith("Fn::", StringComparison.Ordinal)))
                    {
                        (function, argument) = (first.Name, first.Value);
                        return true;
                    }
                }
            }

            (function, argument) = ("", default);
            return false;
        }

        private void CheckIntrinsic(string function, JsonElement argument, string path)
        {
            var at = $"{path}/{function}";
            if (!ValueFunctions.Contains(function) && !ConditionFunctions.Contains(function))
            {
                Error(at, $"Unknown intrinsic function '{function}'.{Suggestions.For(function, ValueFunctions)}");
                return;
            }

            switch (function)
            {
                case "Ref":
                    CheckRef(Scalar(argument), at);
                    return;
                case "Fn::GetAtt":
                    CheckGetAtt(argument, at);
                    return;
                case "Fn::Sub":
                    CheckSub(argument, at);
                    return;
                case "Fn::If":
                    if (argument.ValueKind != JsonValueKind.Array || argument.GetArrayLength() != 3)
                    {
                        Error(at, "Fn::If takes [condition, value if true, value if false].");
                        return;
                    }

                    CheckConditionName(Scalar(argument[0]), at);
                    Walk(argument[1], $"{at}[1]");
                    Walk(argument[2], $"{at}[2]");
                    return;
                case "Fn::FindInMap":
                    if (argument.ValueKind == JsonValueKind.Array && argument.GetArrayLength() >= 3 && argument[0].ValueKind == JsonValueKind.String
                        && !_mappings.ContainsKey(argument[0].GetString()!))
                    {
                        Error(at, $"Fn::FindInMap names mapping '{argument[0].GetString()}', which is not defined.{Suggestions.For(argument[0].GetString()!, _mappings.Keys)}");
                    }

                    Walk(argument, at);
                    return;
                case "Fn::Join":
                    if (argument.ValueKind != JsonValueKind.Array || argument.GetArrayLength() != 2 || argument[0].ValueKind != JsonValueKind.String)
                    {
                        Error(at, "Fn::Join takes [delimiter, [values]].");
                        return;
                    }

                    Walk(argument[1], at);
                    return;
                default:
                    Walk(argument, at);
                    return;
            }
        }

        private void CheckRef(string target, string path)
        {
            if (PseudoParameters.Contains(target))
            {
                return;
            }

            if (_parameters.ContainsKey(target))
            {
                _usedParameters.Add(target);
                return;
            }

            if (_resources.ContainsKey(target))
            {
                if (_inConditions)
                {
                    Error(path, $"Conditions can refer to parameters only; '{target}' is a resource.");
                }

                return;
            }

            Error(path, $"Ref to '{target}', which is neither a parameter nor a resource.{Suggestions.For(target, _parameters.Keys.Concat(_resources.Keys))}");
        }

        private void CheckGetAtt(JsonElement argument, string path)
        {
            string resource;
            string? attribute;
            if (argument.ValueKind == JsonValueKind.String && argument.GetString()!.IndexOf('.', StringComparison.Ordinal) is var dot and > 0)
            {
                (resource, attribute) = (argument.GetString()![..dot], argument.GetString()![(dot + 1)..]);
            }
            else if (argument.ValueKind == JsonValueKind.Array && argument.GetArrayLength() == 2 && argument[0].ValueKind == JsonValueKind.String)
            {
                resource = argument[0].GetString()!;
                attribute = argument[1].ValueKind == JsonValueKind.String ? argument[1].GetString() : null;
                if (attribute is null)
                {
                    Walk(argument[1], path); // an attribute named by Ref
                }
            }
            else
            {
                Error(path, "Fn::GetAtt takes [resource, attribute] or \"resource.attribute\".");
                return;
            }

            CheckAttribute(resource, attribute, path);
        }

        private void CheckAttribute(string resource, string? attribute, string path)
        {
            if (!_resources.TryGetValue(resource, out var definition))
            {
                Error(path, $"Fn::GetAtt names '{resource}', which is not a resource.{Suggestions.For(resource, _resources.Keys)}");
                return;
            }

            if (_inConditions)
            {
                Error(path, "Conditions cannot use Fn::GetAtt.");
            }

            var type = definition.TryGetProperty("Type", out var t) ? t.GetString() ?? "" : "";
            if (attribute is null || IsCustom(type) || !spec.ResourceTypes.TryGetValue(type, out var resourceType))
            {
                return;
            }

            if (!resourceType.Attributes.Contains(attribute))
            {
                var known = resourceType.Attributes.Count == 0 ? "it has none" : $"it has {string.Join(", ", resourceType.Attributes.Order(StringComparer.Ordinal))}";
                Error(path, $"{type} has no attribute '{attribute}' ({known}).");
            }
        }

        private void CheckSub(JsonElement argument, string path)
        {
            string text;
            var variables = new HashSet<string>(StringComparer.Ordinal);
            if (argument.ValueKind == JsonValueKind.String)
            {
                text = argument.GetString()!;
            }
            else if (argument.ValueKind == JsonValueKind.Array && argument.GetArrayLength() == 2
                     && argument[0].ValueKind == JsonValueKind.String && argument[1].ValueKind == JsonValueKind.Object)
            {
                text = argument[0].GetString()!;
                foreach (var variable in argument[1].EnumerateObject())
                {
                    variables.Add(variable.Name);
                    Walk(variable.Value, $"{path}/{variable.Name}");
                }
            }
            else
            {
                Error(path, "Fn::Sub takes a string, or [string, {variables}].");
                return;
            }

            foreach (Match match in SubVariable().Matches(text))
            {
                var name = match.Groups[1].Value.Trim();
                if (name.StartsWith('!') || variables.Contains(name))
                {
                    continue; // ${!Literal} is written as is
                }

                var dot = name.IndexOf('.', StringComparison.Ordinal);
                if (dot > 0 && !PseudoParameters.Contains(name))
                {
                    CheckAttribute(name[..dot], name[(dot + 1)..], path);
                }
                else
                {
                    CheckRef(name, path);
                }
            }
        }

        private void CheckConditionName(string name, string path)
        {
            if (!_conditions.ContainsKey(name))
            {
                Error(path, $"Condition '{name}' is not defined.{Suggestions.For(name, _conditions.Keys)}");
            }
        }

        private void CheckOutputs()
        {
            if (!template.TryGetProperty("Outputs", out var outputs) || outputs.ValueKind != JsonValueKind.Object)
            {
                return;
            }

            foreach (var output in outputs.EnumerateObject())
            {
                var path = $"Outputs/{output.Name}";
                if (output.Value.ValueKind != JsonValueKind.Object || !output.Value.TryGetProperty("Value", out var value))
                {
                    Error(path, "An output needs a Value.");
                    continue;
                }

                Walk(value, $"{path}/Value");
                if (output.Value.TryGetProperty("Condition", out var condition))
                {
                    CheckConditionName(Scalar(condition), $"{path}/Condition");
                }

                if (output.Value.TryGetProperty("Export", out var export))
                {
                    Walk(export, $"{path}/Export");
                }
            }
        }

        private static bool IsCustom(string type) =>
            type.StartsWith("Custom::", StringComparison.Ordinal) || type == "AWS::CloudFormation::CustomResource";

        private static string Scalar(JsonElement value) => value.ValueKind switch
        {
            JsonValueKind.String => value.GetString()!,
            JsonValueKind.Undefined => "",
            _ => value.GetRawText(),
        };
    }
}

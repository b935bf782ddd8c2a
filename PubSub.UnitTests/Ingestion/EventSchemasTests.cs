using System.Text.Json;
using PubSub.Ingestion.Core;
using PubSub.Ingestion.Core.Validation;
using PubSub.Json;

namespace PubSub.UnitTests.Ingestion;

/// <summary>Schemas that only name members are checked against those members alone; the verdict and
/// the paths must be those of checking the whole data.</summary>
public sealed class EventSchemasTests
{
    private const string Named = """
        { "type": "object", "required": [ "orderId" ],
          "properties": { "orderId": { "type": "integer", "minimum": 1 }, "lines": { "type": "array", "items": { "type": "object", "required": [ "sku" ] } } } }
        """;

    private const string Closed = """
        { "type": "object", "properties": { "orderId": { "type": "integer" } }, "additionalProperties": false }
        """;

    private static IReadOnlyList<SchemaError> Validate(string schema, string data) =>
        new EventSchemas(new Dictionary<string, JsonElement> { ["t"] = JsonDocument.Parse(schema).RootElement })
            .Validate("t", JsonPayload.FromString(data), hasBinaryData: false);

    /// <summary>The same data with a 10 KB member in front, past the size where members are copied out.</summary>
    private static string Large(string data) =>
        data.StartsWith('{') ? "{\"pad\":\"" + new string('x', 10_000) + "\"," + data[1..] : data;

    [Theory]
    [InlineData("""{"orderId":7,"big":[1,2,3],"note":"x"}""", "")]
    [InlineData("""{"note":{"deep":[{"a":1}]},"orderId":"7"}""", "/orderId")]
    [InlineData("""{"big":"x"}""", "")] // required: reported at the object
    [InlineData("""{"orderId":7,"lines":[{"sku":"a"},{"qty":2}]}""", "/lines/1")]
    [InlineData("""{"orderId":0}""", "/orderId")]
    [InlineData("""[1,2]""", "")]
    [InlineData("""{"order\u0049d":7}""", "")]
    public void Named_member_schemas_report_what_the_whole_data_would(string data, string path)
    {
        var expectValid = data is """{"orderId":7,"big":[1,2,3],"note":"x"}""" or """{"order\u0049d":7}""";
        foreach (var errors in new[] { Validate(Named, data), Validate(Named, Large(data)) })
        {
            Assert.Equal(expectValid, errors.Count == 0);
            if (!expectValid)
            {
                Assert.Contains(errors, e => e.Path == path);
            }
        }
    }

    [Fact]
    public void Schemas_that_look_at_other_members_still_see_them() =>
        Assert.NotEmpty(Validate(Closed, Large("""{"orderId":7,"extra":true}""")));
}

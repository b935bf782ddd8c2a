using PubSub.Routing;

namespace PubSub.UnitTests.Routing;

/// <summary>The examples of AWS's EventBridge documentation ("Creating event patterns", "Content
/// filtering", "Comparison operators", "Arrays", "Null values and empty strings") and of the
/// aws/event-ruler README, each with the outcome the documentation states.</summary>
public sealed class EventBridgeDocumentationExamples
{
    private const string Ec2Event = """
        {
          "version": "0",
          "id": "6a7e8feb-b491-4cf7-a9f1-bf3703467718",
          "detail-type": "EC2 Instance State-change Notification",
          "source": "aws.ec2",
          "account": "111122223333",
          "time": "2017-12-22T18:43:48Z",
          "region": "us-west-1",
          "resources": ["arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0"],
          "detail": { "instance-id": "i-1234567890abcdef0", "state": "terminated" }
        }
        """;

    // The sample event of the event-ruler README.
    private const string RulerEvent = """
        {
          "version": "0",
          "id": "ddddd4-aaaa-7777-4444-345dd43cc333",
          "detail-type": "EC2 Instance State-change Notification",
          "source": "aws.ec2",
          "account": "012345679012",
          "time": "2017-10-02T16:24:49Z",
          "region": "us-east-1",
          "resources": ["arn:aws:ec2:us-east-1:123456789012:instance/i-000000aaaaaa00000"],
          "detail": {
            "c-count": 5,
            "d-count": 3,
            "x-limit": 301.8,
            "source-ip": "10.0.0.33",
            "instance-id": "i-000000aaaaaa00000",
            "state": "running"
          }
        }
        """;

    private static bool Matches(string pattern, string document) => EventPattern.Parse(pattern).Matches(document);

    [Fact]
    public void Ec2_instance_termination_pattern_selects_the_termination_event() =>
        Assert.True(Matches("""
            { "source": ["aws.ec2"], "detail-type": ["EC2 Instance State-change Notification"], "detail": { "state": ["terminated"] } }
            """, Ec2Event));

    [Fact]
    public void Ruler_simple_matching_matches_on_any_listed_state_and_the_resources_array() =>
        Assert.True(Matches("""
            {
              "detail-type": [ "EC2 Instance State-change Notification" ],
              "resources": [ "arn:aws:ec2:us-east-1:123456789012:instance/i-000000aaaaaa00000" ],
              "detail": { "state": [ "initializing", "running" ] }
            }
            """, RulerEvent));

    [Fact]
    public void Arrays_match_when_pattern_and_event_arrays_intersect() =>
        Assert.True(Matches("""
            { "resources": [
                "arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f",
                "arn:aws:ec2:us-east-1:111122223333:instance/i-b188560f",
                "arn:aws:ec2:us-east-1:444455556666:instance/i-b188560f" ] }
            """, """
            { "resources": [
                "arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:eb56d16b-bbf0-401d-b893-d5978ed4a025:autoScalingGroupName/ASGTerminate",
                "arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f" ] }
            """));

    private const string NullValuesEvent = """
        {
          "version": "0", "id": "3e3c153a-8339-4e30-8c35-687ebef853fe",
          "detail-type": "EC2 Instance Launch Successful", "source": "aws.autoscaling",
          "account": "123456789012", "time": "2015-11-11T21:31:47Z", "region": "us-east-1",
          "resources": [],
          "detail": { "eventVersion": "", "responseElements": null }
        }
        """;

    [Theory]
    [InlineData("""{ "detail": { "eventVersion": [""] } }""", true)]
    [InlineData("""{ "detail": { "responseElements": [null] } }""", true)]
    [InlineData("""{ "detail": { "responseElements": [""] } }""", false)] // empty strings and null are not interchangeable
    [InlineData("""{ "detail": { "eventVersion": [null] } }""", false)]
    public void Null_values_and_empty_strings(string pattern, bool expected) =>
        Assert.Equal(expected, Matches(pattern, NullValuesEvent));

    [Theory]
    [InlineData("""{ "time": [ { "prefix": "2017-10-02" } ] }""", """{ "time": "2017-10-02T18:43:48Z" }""", true)]
    [InlineData("""{ "time": [ { "prefix": "2017-10-02" } ] }""", """{ "time": "2017-10-03T18:43:48Z" }""", false)]
    [InlineData("""{ "Region": [ { "prefix": "us-" } ] }""", """{ "Region": "us-east-1" }""", true)]
    [InlineData("""{ "detail": { "service": [ { "prefix": { "equals-ignore-case": "EventB" } } ] } }""", """{ "detail": { "service": "eventbridge" } }""", true)]
    [InlineData("""{ "detail": { "service": [ { "prefix": { "equals-ignore-case": "EventB" } } ] } }""", """{ "detail": { "service": "EVENTBRIDGE" } }""", true)]
    [InlineData("""{ "FileName": [ { "suffix": ".png" } ] }""", """{ "FileName": "image.png" }""", true)]
    [InlineData("""{ "FileName": [ { "suffix": ".png" } ] }""", """{ "FileName": "image.jpg" }""", false)]
    [InlineData("""{ "detail": { "FileName": [ { "suffix": { "equals-ignore-case": ".png" } } ] } }""", """{ "detail": { "FileName": "IMAGE.PNG" } }""", true)]
    [InlineData("""{ "service": [ { "suffix": { "equals-ignore-case": "tBridge" } } ] }""", """{ "service": "EVENTBRIDGE" }""", true)]
    [InlineData("""{ "source": [ { "suffix": "ec2" } ] }""", RulerEvent, true)]
    [InlineData("""{ "Name": [ "Alice" ] }""", """{ "Name": "Alice" }""", true)]
    [InlineData("""{ "Name": [ { "equals-ignore-case": "alice" } ] }""", """{ "Name": "Alice" }""", true)]
    [InlineData("""{ "LastName": [ "" ] }""", """{ "LastName": "" }""", true)]
    [InlineData("""{ "source": [ { "wildcard": "Simple*Service" } ] }""", """{ "source": "SimpleQueueService" }""", true)]
    [InlineData("""{ "FileName": [ { "wildcard": "dir/*.png" } ] }""", """{ "FileName": "dir/image.png" }""", true)]
    [InlineData("""{ "FileName": [ { "wildcard": "dir/*.png" } ] }""", """{ "FileName": "dir/image.jpg" }""", false)]
    [InlineData("""{ "EventBusArn": [ { "wildcard": "arn:aws:events:us-east-1:*:event-bus/*" } ] }""", """{ "EventBusArn": "arn:aws:events:us-east-1:123456789012:event-bus/orders" }""", true)]
    [InlineData("""{ "EventBusArn": [ { "wildcard": "arn:aws:events:us-east-1:*:event-bus/*" } ] }""", """{ "EventBusArn": "arn:aws:events:us-west-2:123456789012:event-bus/orders" }""", false)]
    public void Prefix_suffix_equals_and_wildcard(string pattern, string document, bool expected) =>
        Assert.Equal(expected, Matches(pattern, document));

    [Theory]
    [InlineData("""{ "detail": { "state": [ { "anything-but": "initializing" } ] } }""", "running", true)]
    [InlineData("""{ "detail": { "state": [ { "anything-but": "initializing" } ] } }""", "initializing", false)]
    [InlineData("""{ "detail": { "state": [ { "anything-but": [ "stopped", "overloaded" ] } ] } }""", "overloaded", false)]
    [InlineData("""{ "detail": { "state": [ { "anything-but": [ "stopped", "overloaded" ] } ] } }""", "running", true)]
    [InlineData("""{ "detail": { "state": [ { "anything-but": { "prefix": "init" } } ] } }""", "initializing", false)]
    [InlineData("""{ "detail": { "state": [ { "anything-but": { "prefix": "init" } } ] } }""", "running", true)]
    [InlineData("""{ "detail": { "state": [ { "anything-but": { "equals-ignore-case": "initializing" } } ] } }""", "INITIALIZING", false)]
    [InlineData("""{ "detail": { "state": [ { "anything-but": { "equals-ignore-case": [ "Stopped", "OverLoaded" ] } } ] } }""", "overloaded", false)]
    public void Anything_but_on_strings(string pattern, string state, bool expected) =>
        Assert.Equal(expected, Matches(pattern, $$"""{ "detail": { "state": "{{state}}" } }"""));

    [Theory]
    [InlineData("""{ "detail": { "x-limit": [ { "anything-but": 123 } ] } }""", true)]
    [InlineData("""{ "detail": { "x-limit": [ { "anything-but": 301.8 } ] } }""", false)]
    [InlineData("""{ "detail": { "x-limit": [ { "anything-but": [ 100, 200, 300 ] } ] } }""", true)]
    [InlineData("""{ "detail": { "x-limit": [ { "numeric": [ "=", 3.018e2 ] } ] } }""", true)]
    [InlineData("""{ "detail": { "c-count": [ { "numeric": [ ">", 0, "<=", 5 ] } ], "d-count": [ { "numeric": [ "<", 10 ] } ], "x-limit": [ { "numeric": [ "=", 3.018e2 ] } ] } }""", true)]
    [InlineData("""{ "detail": { "c-count": [ { "numeric": [ ">", 5 ] } ] } }""", false)]
    [InlineData("""{ "detail": { "source-ip": [ { "cidr": "10.0.0.0/24" } ] } }""", true)]
    [InlineData("""{ "detail": { "source-ip": [ { "cidr": "10.0.1.0/24" } ] } }""", false)]
    [InlineData("""{ "detail": { "c-count": [ { "exists": true } ] } }""", true)]
    [InlineData("""{ "detail": { "c-count": [ { "exists": false } ] } }""", false)]
    public void Numbers_addresses_and_existence_on_the_ruler_event(string pattern, bool expected) =>
        Assert.Equal(expected, Matches(pattern, RulerEvent));

    [Fact]
    public void The_complex_example_combines_prefix_anything_but_numeric_and_cidr() =>
        Assert.True(Matches("""
            {
              "time": [ { "prefix": "2017-10-02" } ],
              "detail": {
                "state": [ { "anything-but": "initializing" } ],
                "c-count": [ { "numeric": [ ">", 0, "<=", 5 ] } ],
                "d-count": [ { "numeric": [ "<", 10 ] } ],
                "x-limit": [ { "anything-but": [ 100, 200, 300 ] } ],
                "source-ip": [ { "cidr": "10.0.0.0/8" } ]
              }
            }
            """, RulerEvent));

    [Theory]
    [InlineData("""{ "detail": { "state": [ "initializing", "running" ] } }""", true)]
    [InlineData("""{ "detail": { "state": [ "initializing", "running" ], "c-count": { "c1": 100 } } }""", true)] // c-count is not a leaf
    [InlineData("""{ "detail": { "c-count": 1 } }""", false)]
    public void Exists_false_matches_a_missing_leaf_and_ignores_intermediate_nodes(string document, bool expected) =>
        Assert.Equal(expected, Matches("""{ "detail": { "c-count": [ { "exists": false } ] } }""", document));

    [Theory]
    [InlineData("""{ "ProductName": [ { "exists": true } ] }""", """{ "ProductName": "Widget" }""", true)]
    [InlineData("""{ "ProductName": [ { "exists": false } ] }""", """{ "ProductName": "Widget" }""", false)]
    [InlineData("""{ "Weather": [ { "anything-but": [ "Raining" ] } ] }""", """{ "Weather": "Sunny" }""", true)]
    [InlineData("""{ "UserID": [ null ] }""", """{ "UserID": null }""", true)]
    [InlineData("""{ "Price": [ { "numeric": [ "=", 100 ] } ] }""", """{ "Price": 100 }""", true)]
    [InlineData("""{ "Price": [ { "numeric": [ ">", 10, "<=", 20 ] } ] }""", """{ "Price": 20 }""", true)]
    [InlineData("""{ "Price": [ { "numeric": [ ">", 10, "<=", 20 ] } ] }""", """{ "Price": 10 }""", false)]
    [InlineData("""{ "PaymentType": [ "Credit", "Debit" ] }""", """{ "PaymentType": "Debit" }""", true)]
    [InlineData("""{ "$or": [ { "Location": [ "New York" ] }, { "Day": [ "Monday" ] } ] }""", """{ "Location": "Boston", "Day": "Monday" }""", true)]
    [InlineData("""{ "$or": [ { "Location": [ "New York" ] }, { "Day": [ "Monday" ] } ] }""", """{ "Location": "Boston", "Day": "Tuesday" }""", false)]
    [InlineData("""{ "Location": [ "New York" ], "Day": [ "Monday" ] }""", """{ "Location": "New York", "Day": "Tuesday" }""", false)]
    [InlineData("""{ "FilePath": [ { "anything-but": { "wildcard": "*/lib/*" } } ] }""", """{ "FilePath": "/usr/lib/libc.so" }""", false)]
    [InlineData("""{ "FileName": [ { "anything-but": { "suffix": ".png" } } ] }""", """{ "FileName": "notes.txt" }""", true)]
    [InlineData("""{ "Region": [ { "anything-but": { "prefix": "us-" } } ] }""", """{ "Region": "us-west-2" }""", false)]
    public void Comparison_operator_table(string pattern, string document, bool expected) =>
        Assert.Equal(expected, Matches(pattern, document));

    [Theory]
    // source && (metricName || namespace)
    [InlineData("""{"source":["aws.cloudwatch"],"$or":[{"metricName":["CPUUtilization","ReadLatency"]},{"namespace":["AWS/EC2","AWS/ES"]}]}""",
        """{"source":"aws.cloudwatch","namespace":"AWS/ES"}""", true)]
    [InlineData("""{"source":["aws.cloudwatch"],"$or":[{"metricName":["CPUUtilization","ReadLatency"]},{"namespace":["AWS/EC2","AWS/ES"]}]}""",
        """{"source":"aws.cloudwatch","namespace":"AWS/S3"}""", false)]
    // (metricName || namespace) && (detail.source || detail.detail-type)
    [InlineData("""{"$or":[{"metricName":["CPUUtilization","ReadLatency"]},{"namespace":["AWS/EC2","AWS/ES"]}],"detail":{"$or":[{"source":["aws.cloudwatch"]},{"detail-type":["CloudWatch Alarm State Change"]}]}}""",
        """{"metricName":"ReadLatency","detail":{"detail-type":"CloudWatch Alarm State Change"}}""", true)]
    [InlineData("""{"$or":[{"metricName":["CPUUtilization","ReadLatency"]},{"namespace":["AWS/EC2","AWS/ES"]}],"detail":{"$or":[{"source":["aws.cloudwatch"]},{"detail-type":["CloudWatch Alarm State Change"]}]}}""",
        """{"metricName":"ReadLatency","detail":{"source":"aws.s3"}}""", false)]
    // source && (metricName || (metricType && namespace) || scope)
    [InlineData("""{"source":["aws.cloudwatch"],"$or":[{"metricName":["CPUUtilization","ReadLatency"]},{"metricType":["MetricType"],"namespace":["AWS/EC2","AWS/ES"]},{"scope":["Service"]}]}""",
        """{"source":"aws.cloudwatch","metricType":"MetricType","namespace":"AWS/EC2"}""", true)]
    [InlineData("""{"source":["aws.cloudwatch"],"$or":[{"metricName":["CPUUtilization","ReadLatency"]},{"metricType":["MetricType"],"namespace":["AWS/EC2","AWS/ES"]},{"scope":["Service"]}]}""",
        """{"source":"aws.cloudwatch","metricType":"MetricType"}""", false)]
    // source && (metricName || (metricType && namespace && (metricId || spaceId)) || scope)
    [InlineData("""{"source":["aws.cloudwatch"],"$or":[{"metricName":["CPUUtilization","ReadLatency"]},{"metricType":["MetricType"],"namespace":["AWS/EC2","AWS/ES"],"$or":[{"metricId":[1234]},{"spaceId":[1000]}]},{"scope":["Service"]}]}""",
        """{"source":"aws.cloudwatch","metricType":"MetricType","namespace":"AWS/EC2","spaceId":1000}""", true)]
    [InlineData("""{"source":["aws.cloudwatch"],"$or":[{"metricName":["CPUUtilization","ReadLatency"]},{"metricType":["MetricType"],"namespace":["AWS/EC2","AWS/ES"],"$or":[{"metricId":[1234]},{"spaceId":[1000]}]},{"scope":["Service"]}]}""",
        """{"source":"aws.cloudwatch","metricType":"MetricType","namespace":"AWS/EC2","spaceId":1001}""", false)]
    // "$or" whose value is an object is an ordinary field name
    [InlineData("""{"source":["aws.cloudwatch"],"$or":{"metricType":["MetricType"],"namespace":["AWS/EC2","AWS/ES"]}}""",
        """{"source":"aws.cloudwatch","$or":{"metricType":"MetricType","namespace":"AWS/ES"}}""", true)]
    public void Or_examples(string pattern, string document, bool expected) =>
        Assert.Equal(expected, Matches(pattern, document));

    private const string Employees = """
        { "employees": [ { "firstName": "John", "lastName": "Doe" }, { "firstName": "Anna", "lastName": "Smith" }, { "firstName": "Peter", "lastName": "Jones" } ] }
        """;

    private const string NestedEmployees = """
        { "employees": [ [ { "firstName": "John", "lastName": "Doe" }, { "firstName": "Anna", "lastName": "Smith" } ], [ { "firstName": "Peter", "lastName": "Jones" } ] ] }
        """;

    [Theory]
    [InlineData("""{ "employees": { "firstName": [ "Anna" ] } }""", true)]
    [InlineData("""{ "employees": { "firstName": [ "Anna" ], "lastName": [ "Smith" ] } }""", true)]
    [InlineData("""{ "employees": { "firstName": [ "Anna" ], "lastName": [ "Jones" ] } }""", false)]
    public void Array_consistent_matching(string pattern, bool expected)
    {
        Assert.Equal(expected, Matches(pattern, Employees));
        Assert.Equal(expected, Matches(pattern, NestedEmployees));
    }

    [Fact]
    public void Dotted_keys_and_nested_keys_are_different_fields()
    {
        // EventBridge's Ruler joins keys with dots and so conflates these; its README says not to rely on it.
        Assert.True(Matches("""{ "detail": { "state": { "status": [ "running" ] } } }""", """{ "detail": { "state": { "status": "running" } } }"""));
        Assert.False(Matches("""{ "detail": { "state": { "status": [ "running" ] } } }""", """{ "detail": { "state.status": "running" } }"""));
    }
}

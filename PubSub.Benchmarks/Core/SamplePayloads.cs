using System.Globalization;
using System.Text;

namespace PubSub.Benchmarks.Core;

/// <summary>Realistic order events of a chosen size: ids, timestamps, prices, SKUs and free text,
/// and no sensitive data (the common case the scanner must pass quickly).</summary>
internal static class SamplePayloads
{
    public static string OrderCreated(int targetBytes)
    {
        var items = new StringBuilder();
        for (var i = 0; items.Length < targetBytes - 600; i++)
        {
            if (i > 0)
            {
                items.Append(',');
            }

            items.Append(CultureInfo.InvariantCulture,
                $$"""{"sku":"SKU-{{100000 + i}}","name":"Stainless steel water bottle {{i}}","qty":{{1 + i % 4}},"price":{{12.5 + i % 7}},"tags":["kitchen","eco"],"addedAt":"2024-05-01T12:{{i % 60:00}}:00Z"}""");
        }

        return $$$"""
            {"specversion":"1.0","id":"0190a3b8-7c1e-7d3a-9f1b-5e2c4a6d8e01","source":"https://shop.example/orders","type":"order.created",
             "subject":"order/ORD-2024-000123","time":"2024-05-01T12:00:00Z","datacontenttype":"application/json",
             "data":{"orderId":123,"total":87.45,"currency":"EUR","status":"created","channel":"web","customer":{"id":"c-58213","tier":"gold"},
                     "shipping":{"method":"express","eta":"2024-05-03"},"items":[{{{items}}}]}}
            """;
    }
}

using System.Diagnostics;
using PubSub.Telemetry;

namespace PubSub.Ingestion.Core;

/// <summary>Where each event's trace begins. A publisher's <c>traceparent</c> is a claim, not a parent:
/// adopting it would let a publisher put its events into any trace (or all into one), so every event
/// starts a trace of its own, linked to the context the request arrived in. Both hosts go through here.</summary>
internal static class IngestionTrace
{
    public static Activity? StartEvent()
    {
        var caller = Activity.Current;
        ActivityLink[]? links = caller is null ? null : [new ActivityLink(caller.Context)];

        // With no current activity and no parent context, the new activity is a root. The async method
        // that calls this restores Activity.Current for its own caller when it returns.
        Activity.Current = null;
        var activity = PubSubTelemetry.Ingestion.StartActivity("ingest event", ActivityKind.Internal, parentContext: default, links: links);
        if (activity is null)
        {
            Activity.Current = caller;
        }

        return activity;
    }
}

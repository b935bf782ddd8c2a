namespace PubSub.Sensitive;

/// <summary>A span of a string that a detector matched.</summary>
internal readonly record struct TextMatch(string Detector, int Start, int Length);

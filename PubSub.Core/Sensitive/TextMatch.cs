namespace PubSub.Sensitive;

/// <summary>A span of a string that a detector matched, and the (normalised or decoded) value it read
/// there, which only masking sees.</summary>
internal readonly record struct TextMatch(string Detector, int Start, int Length, string Value);

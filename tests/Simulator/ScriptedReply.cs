namespace Blofin.Simulator;

/// <summary>A reply queued for the next market request: a fault, or a fixed status and body.</summary>
internal sealed record ScriptedReply(SimulatedFault? Fault, int? StatusCode, string? Body);

namespace Blofin.Backfill.Export;

/// <summary>What an HTTP download answers: the status, the headers, and the file written to the body (null when the
/// body holds an error message instead).</summary>
public sealed record DownloadResponse(int StatusCode, IReadOnlyList<KeyValuePair<string, string>> Headers, ExportedFile? File);

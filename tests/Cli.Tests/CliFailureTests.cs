using Azure;
using Microsoft.Extensions.Options;

namespace Blofin.Backfill.Cli;

public sealed class CliFailureTests
{
    private static readonly Dictionary<string, string> NoSettings = [];

    [Fact]
    public void From_AzureRetriesExhausted_OneLineNamingTheLastFailureAndTheTries()
    {
        var attempts = Enumerable.Range(0, 6).Select(_ => new RequestFailedException("Connection refused (127.0.0.1:1)")).ToList();
        var exception = new AggregateException("Retry failed after 6 tries. Retry settings can be adjusted in ClientOptions.Retry.", attempts);

        var failure = CliFailure.From(exception, NoSettings);

        Assert.Equal(ExitCodes.Failed, failure.ExitCode);
        Assert.Equal("Azure Storage could not be reached: Connection refused (127.0.0.1:1) (6 tries)", failure.Message);
    }

    [Fact]
    public void From_StorageRefusal_KeepsOnlyTheFirstLineOfTheMessage()
    {
        var exception = new RequestFailedException(403, "This request is not authorized.\nRequestId:1\nTime:2026-11-20\nStatus: 403\nHeaders: ...", "AuthorizationFailure", null);

        var failure = CliFailure.From(exception, NoSettings);

        Assert.Equal(ExitCodes.Failed, failure.ExitCode);
        Assert.Equal("Azure Storage refused the request (403 AuthorizationFailure): This request is not authorized.", failure.Message);
    }

    [Fact]
    public void From_InvalidSettingFromAnOption_NamesTheOptionAsTyped()
    {
        var exception = new OptionsValidationException("Options", typeof(object), ["BaseUrl must be an absolute http or https URL; 'x' is not."]);

        var failure = CliFailure.From(exception, new Dictionary<string, string> { ["Blofin:BaseUrl"] = "--base-url x" });

        Assert.Equal(ExitCodes.Usage, failure.ExitCode);
        Assert.Equal("invalid setting: --base-url x: BaseUrl must be an absolute http or https URL; 'x' is not.", failure.Message);
    }

    [Fact]
    public void From_UnexpectedException_ExitCodeOneMarkedUnexpected()
    {
        var failure = CliFailure.From(new InvalidOperationException("first line\nsecond line"), NoSettings);

        Assert.Equal(ExitCodes.Failed, failure.ExitCode);
        Assert.False(failure.IsExpected);
        Assert.Equal("unexpected InvalidOperationException: first line", failure.Message);
    }
}

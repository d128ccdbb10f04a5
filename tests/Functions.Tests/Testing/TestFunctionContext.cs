using Microsoft.Azure.Functions.Worker;

namespace Blofin.Backfill.Functions.Testing;

/// <summary>The invocation context an HTTP request double hangs on; the coverage functions read none of it.</summary>
internal sealed class TestFunctionContext(IServiceProvider services) : FunctionContext
{
    public override string InvocationId { get; } = Guid.NewGuid().ToString();

    public override string FunctionId => "test";

    public override TraceContext TraceContext => throw new NotSupportedException("The test context has no trace context.");

    public override BindingContext BindingContext => throw new NotSupportedException("The test context has no binding context.");

    public override RetryContext RetryContext => throw new NotSupportedException("The test context has no retry context.");

    public override IServiceProvider InstanceServices { get; set; } = services;

    public override FunctionDefinition FunctionDefinition => throw new NotSupportedException("The test context has no function definition.");

    public override IDictionary<object, object> Items { get; set; } = new Dictionary<object, object>();

    public override IInvocationFeatures Features => throw new NotSupportedException("The test context has no invocation features.");
}

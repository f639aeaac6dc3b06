using System.ComponentModel;
using Microsoft.SemanticKernel;

namespace Andes.SemanticKernel.Tests;

/// <summary>A real <c>[KernelFunction]</c> plugin that records its calls.</summary>
public sealed class WeatherPlugin
{
    private readonly List<string> _calls = [];

    /// <summary>The cities asked about, in order.</summary>
    public IReadOnlyList<string> Calls
    {
        get
        {
            lock (_calls)
            {
                return [.. _calls];
            }
        }
    }

    [KernelFunction("get_temperature")]
    [Description("Gets the current temperature of a city in degrees Celsius.")]
    public int GetTemperature([Description("The city.")] string city)
    {
        lock (_calls)
        {
            _calls.Add(city);
        }

        return 10 + city.Length;
    }
}

/// <summary>An auto function invocation filter that records what it sees and can replace the result.</summary>
public sealed class RecordingAutoInvocationFilter : IAutoFunctionInvocationFilter
{
    private readonly List<(string Function, string? Arguments, string? CallId)> _seen = [];

    /// <summary>When set, the filter answers with this instead of invoking the function.</summary>
    public string? Override { get; init; }

    /// <summary>The invocations seen: function name, arguments (as text), tool call id.</summary>
    public IReadOnlyList<(string Function, string? Arguments, string? CallId)> Seen
    {
        get
        {
            lock (_seen)
            {
                return [.. _seen];
            }
        }
    }

    /// <summary>The results the function produced (or the override), as text.</summary>
    public List<string?> Results { get; } = [];

    public async Task OnAutoFunctionInvocationAsync(AutoFunctionInvocationContext context, Func<AutoFunctionInvocationContext, Task> next)
    {
        lock (_seen)
        {
            _seen.Add((context.Function.Name, context.Arguments is null ? null : string.Join(",", context.Arguments.Select(a => $"{a.Key}={a.Value}")), context.ToolCallId));
        }

        if (Override is not null)
        {
            context.Result = new FunctionResult(context.Function, Override);
        }
        else
        {
            await next(context);
        }

        Results.Add(context.Result.GetValue<object>()?.ToString());
    }
}

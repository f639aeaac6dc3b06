using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Andes.Testing;

/// <summary>One captured log entry: category, level, event, the formatted message and the structured values.</summary>
/// <param name="Category">The logger's category.</param>
/// <param name="Level">The level.</param>
/// <param name="EventId">The event id.</param>
/// <param name="Message">The formatted message.</param>
/// <param name="State">The template's named values (and <c>{OriginalFormat}</c>).</param>
/// <param name="Exception">The exception logged with it, or null.</param>
public sealed record LogEntry(string Category, LogLevel Level, EventId EventId, string Message, IReadOnlyDictionary<string, object?> State, Exception? Exception)
{
    /// <summary>A structured value by name (throws when the entry has none).</summary>
    public object? this[string name] => State[name];
}

/// <summary>
/// An <see cref="ILoggerFactory"/> that keeps every entry at or above <see cref="MinimumLevel"/> in memory, for tests
/// that assert what the engine logs (its structured values, not only the text).
/// </summary>
public sealed class CapturingLoggerFactory : ILoggerFactory
{
    private readonly ConcurrentQueue<LogEntry> _entries = new();

    /// <summary>The lowest level captured (default <see cref="LogLevel.Trace"/>: everything).</summary>
    public LogLevel MinimumLevel { get; init; } = LogLevel.Trace;

    /// <summary>The entries captured so far, in order.</summary>
    public IReadOnlyList<LogEntry> Entries => [.. _entries];

    /// <summary>The entries with the given event name.</summary>
    public IReadOnlyList<LogEntry> Events(string eventName) => [.. _entries.Where(e => e.EventId.Name == eventName)];

    /// <inheritdoc />
    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    /// <inheritdoc />
    public void AddProvider(ILoggerProvider provider)
    {
    }

    /// <inheritdoc />
    public void Dispose()
    {
    }

    private sealed class Logger(CapturingLoggerFactory owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= owner.MinimumLevel && logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            var values = new Dictionary<string, object?>(StringComparer.Ordinal);
            if (state is IEnumerable<KeyValuePair<string, object?>> pairs)
            {
                foreach ((string key, object? value) in pairs)
                {
                    values[key] = value;
                }
            }

            owner._entries.Enqueue(new LogEntry(category, logLevel, eventId, formatter(state, exception), values, exception));
        }
    }
}

using System.Diagnostics;

namespace RedisProxy.TestSupport;

/// <summary>
/// The last lines a test's server process printed (its stdout and, when redirected, stderr): what tells a port taken
/// meanwhile from a bad argument when it exits at start.
/// </summary>
internal sealed class ProcessOutput
{
    private const int MaxLines = 40;

    private readonly Queue<string> _lines = new();

    /// <summary>Starts reading <paramref name="process"/>'s redirected streams into a new collector.</summary>
    public static ProcessOutput Read(Process process)
    {
        var output = new ProcessOutput();
        process.OutputDataReceived += (_, line) => output.Keep(line.Data);
        process.BeginOutputReadLine();
        if (process.StartInfo.RedirectStandardError)
        {
            process.ErrorDataReceived += (_, line) => output.Keep(line.Data);
            process.BeginErrorReadLine();
        }

        return output;
    }

    public override string ToString()
    {
        lock (_lines)
        {
            return string.Join(Environment.NewLine, _lines);
        }
    }

    private void Keep(string? line)
    {
        lock (_lines)
        {
            if (line is null)
            {
                return;
            }

            _lines.Enqueue(line);
            if (_lines.Count > MaxLines)
            {
                _lines.Dequeue();
            }
        }
    }
}

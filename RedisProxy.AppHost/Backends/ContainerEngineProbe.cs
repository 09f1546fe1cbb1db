using System.Diagnostics;

namespace Aspire.Hosting.Backends;

/// <summary>
/// Asks the container runtime's CLI whether its engine answers. A container resource blocks start-up when no
/// engine runs, so the AppHost only declares one after this says yes.
/// </summary>
internal static class ContainerEngineProbe
{
    public static bool Answers(TimeSpan timeout)
    {
        var runtime = Environment.GetEnvironmentVariable("ASPIRE_CONTAINER_RUNTIME")
            ?? Environment.GetEnvironmentVariable("DOTNET_ASPIRE_CONTAINER_RUNTIME")
            ?? "docker";
        try
        {
            using var probe = Process.Start(new ProcessStartInfo(runtime, ["info", "--format", "{{.ServerVersion}}"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (probe is null)
            {
                return false;
            }

            if (!probe.WaitForExit(timeout))
            {
                probe.Kill(entireProcessTree: true);
                return false;
            }

            return probe.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // The runtime's CLI is not installed.
            return false;
        }
    }
}

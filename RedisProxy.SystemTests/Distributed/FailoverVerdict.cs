using System.Globalization;

namespace RedisProxy.SystemTests.Distributed;

/// <summary>
/// What a failover must not do to the clients of a <see cref="FailoverLoad"/>: fail for longer than the bound, fail
/// other than as promised (503/504 with Retry-After, a RESP error), answer a value never written, answer one older
/// than a write it acknowledged, or lose an acknowledged write by the end. Redis's own asynchronous replication may
/// lose writes a primary acknowledged just before it went; those are told apart by time (acknowledged before
/// <c>lossPossibleUntil</c>) and counted, not failed.
/// </summary>
internal sealed record FailoverVerdict(
    IReadOnlyList<string> Problems, int LostToReplication, TimeSpan FirstFailure, TimeSpan ErrorWindow, int Failures, int Successes)
{
    public string Summary =>
        $"{Successes} operations succeeded, {Failures} failed within {ErrorWindow.TotalSeconds:F2} s from {FirstFailure.TotalSeconds:F3} s; "
        + $"{LostToReplication} acknowledged writes lost to Redis's replication";

    public static FailoverVerdict Judge(
        IReadOnlyList<Operation> operations, IReadOnlyDictionary<string, string?> finalValues, TimeSpan lossPossibleUntil, TimeSpan maxErrorWindow)
    {
        var problems = new List<string>();
        problems.AddRange(operations.Where(o => o.Outcome == Outcome.Unexpected).Take(10).Select(o => $"unexpected answer: {o}"));

        var failures = operations.Where(o => o.Outcome == Outcome.Failed).ToList();
        var window = failures.Count == 0 ? TimeSpan.Zero : failures.Max(o => o.AnsweredAt) - failures.Min(o => o.SentAt);
        if (window > maxErrorWindow)
        {
            problems.Add($"operations failed over {window.TotalSeconds:F1} s, more than {maxErrorWindow.TotalSeconds} s");
        }

        var lost = 0;
        foreach (var key in operations.Select(o => o.Key).Distinct())
        {
            var history = operations.Where(o => o.Key == key && o.Outcome is Outcome.Ok or Outcome.Failed).OrderBy(o => o.SentAt).ToList();
            var attempted = new HashSet<string>();
            var acknowledged = new List<Operation>();
            foreach (var operation in history)
            {
                if (operation.Kind == OperationKind.Write)
                {
                    attempted.Add(operation.Value!);
                    if (operation.Outcome == Outcome.Ok)
                    {
                        acknowledged.Add(operation);
                    }
                }
                else if (operation.Outcome == Outcome.Ok && Stale(operation.Value, attempted, acknowledged, lossPossibleUntil) is { } problem)
                {
                    problems.Add($"read of {key} at {operation.SentAt.TotalSeconds:F3} s through {operation.Door}: {problem}");
                }
            }

            var final = finalValues.GetValueOrDefault(key);
            if (Stale(final, attempted, acknowledged, lossPossibleUntil) is { } lostWrite)
            {
                problems.Add($"after the failover Redis holds for {key}: {lostWrite}");
            }
            else if (acknowledged.Count > 0 && final != acknowledged[^1].Value && RoundOf(final) < RoundOf(acknowledged[^1].Value))
            {
                lost++;
            }
        }

        return new FailoverVerdict(problems, lost, failures.Count == 0 ? TimeSpan.Zero : failures.Min(o => o.SentAt), window, failures.Count, operations.Count(o => o.Outcome == Outcome.Ok));
    }

    /// <summary>Why <paramref name="value"/> may not be answered after those writes; null when it may.</summary>
    private static string? Stale(string? value, HashSet<string> attempted, List<Operation> acknowledged, TimeSpan lossPossibleUntil)
    {
        if (value is not null && !attempted.Contains(value))
        {
            return $"'{value}', which was never written";
        }

        var round = RoundOf(value);
        var overwritten = acknowledged.FirstOrDefault(write => RoundOf(write.Value) > round && write.AnsweredAt >= lossPossibleUntil);
        return overwritten is null ? null : $"'{value ?? "(absent)"}', older than '{overwritten.Value}' acknowledged at {overwritten.AnsweredAt.TotalSeconds:F3} s";
    }

    /// <summary>The round a value was written in (<c>key:round</c>); -1 for an absent key.</summary>
    private static int RoundOf(string? value) =>
        value is null ? -1 : int.Parse(value[(value.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture);
}

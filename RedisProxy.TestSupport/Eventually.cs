namespace RedisProxy.TestSupport;

/// <summary>Waits for a condition that the system reaches by itself, bounded in time; never a bare sleep.</summary>
public static class Eventually
{
    public static async Task<T> MatchesAsync<T>(Func<Task<T>> probe, Func<T, bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        T last;
        do
        {
            last = await probe();
            if (condition(last))
            {
                return last;
            }

            await Task.Delay(25);
        }
        while (DateTime.UtcNow < deadline);

        throw new TimeoutException($"Still waiting after {timeout} for {what}; last seen: {last}");
    }
}

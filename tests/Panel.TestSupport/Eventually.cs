namespace Panel.TestSupport;

/// <summary>Waits for an asynchronous effect (an event consumed, a process healthy) and fails with what it last saw.</summary>
public static class Eventually
{
    public static async Task<T> UntilAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        T last;
        Exception? lastError = null;
        while (true)
        {
            try
            {
                last = await probe();
                if (done(last))
                {
                    return last;
                }
            }
            catch (Exception ex) when (DateTime.UtcNow < deadline)
            {
                lastError = ex;
                last = default!;
            }

            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException($"Gave up waiting for {what} after {timeout}; last value: {last}", lastError);
            }

            await Task.Delay(200);
        }
    }
}

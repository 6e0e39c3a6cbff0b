using Panel.ServiceDefaults;
using Yarp.ReverseProxy.Forwarder;

namespace Panel.Gateway.Proxy;

/// <summary>
/// The services' body limit, kept by the gateway for each proxied request whatever its length says. A chunked body
/// over the limit used to reach the service, which refused it and dropped the connection mid-upload, and the caller
/// got the proxy's 502 (or 400) instead of the service's 413. Now the gateway stops reading at the limit, the
/// forwarding fails on the gateway's side, and the caller gets 413 problem details every time.
/// </summary>
internal static class ProxyBodyLimit
{
    public static async Task InvokeAsync(HttpContext context, Func<Task> next)
    {
        var body = new LimitedBody(context.Request.Body, ServiceApiExtensions.MaxRequestBodyBytes);
        context.Request.Body = body;
        await next();

        if (context.Response.HasStarted || !(body.Exceeded || TooLarge(context.Features.Get<IForwarderErrorFeature>()?.Exception)))
        {
            return;
        }

        context.Response.Clear();
        context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = { Status = 413, Title = "The request body is too large.", Detail = $"At most {ServiceApiExtensions.MaxRequestBodyBytes} bytes." },
        });
    }

    // Kestrel's own limit (larger) refuses with the same exception, found in what the forwarder reports.
    private static bool TooLarge(Exception? exception) =>
        exception is not null && TransientFailures.Chain(exception).Any(e => e is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge });

    /// <summary>The request body that refuses to be read past the limit, as Kestrel's own limit does.</summary>
    private sealed class LimitedBody(Stream inner, long limit) : Stream
    {
        private long _read;

        public bool Exceeded { get; private set; }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _read; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Count(await inner.ReadAsync(buffer.AsMemory(offset, count), cancellationToken));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Count(await inner.ReadAsync(buffer, cancellationToken));

        private int Count(int read)
        {
            _read += read;
            if (_read > limit)
            {
                Exceeded = true;
                throw new BadHttpRequestException("The request body is too large.", StatusCodes.Status413PayloadTooLarge);
            }

            return read;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

using System.Buffers;

namespace RedisProxy.Api.Resp;

/// <summary>
/// Byte arrays for frames that must be made contiguous. Small ones come from the shared pool; large ones (a big SET
/// value) are allocated and left to the GC, so one huge request does not stay pinned in the pool afterwards.
/// </summary>
internal static class RespBuffers
{
    private const int LargestPooled = 1024 * 1024;

    public static byte[] Rent(int minimumLength) =>
        minimumLength <= LargestPooled ? ArrayPool<byte>.Shared.Rent(minimumLength) : GC.AllocateUninitializedArray<byte>(minimumLength);

    public static void Return(byte[] buffer)
    {
        if (buffer.Length <= LargestPooled)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}

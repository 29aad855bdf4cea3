import CBerthShim
import Diagnostics
import LinuxSyscalls

#if canImport(Glibc)
import Glibc
#endif

/// The messages the runtime and the container's init exchange over their SOCK_SEQPACKET pair,
/// after the C spawner's own 'U'/'P'/'E' messages. One message per packet: a type byte and a payload.
public enum SyncMessage: Equatable, Sendable {
    /// runtime → init: the init's configuration (JSON of `InitBootstrap`), maybe with the console socket.
    case bootstrap([UInt8])
    /// runtime → init: the compiled seccomp filter (`CompiledSeccompFilter.encoded`).
    case seccomp([UInt8])
    /// runtime → init: the init is in the container's cgroups; go on with the setup.
    case proceed
    /// init → runtime: the seccomp notification listener is passed with this message, for the
    /// agent at `listenerPath`.
    case seccompListener
    /// init → runtime: the mounts are ready; run the prestart and createRuntime hooks now.
    case runHooks
    /// runtime → init: the hooks ran.
    case hooksDone
    /// init → runtime: everything is set up; the init waits for `start`.
    case ready
    /// init → runtime: setting up failed; the init exits.
    case failed(String)

    var typeByte: UInt8 {
        switch self {
        case .bootstrap: UInt8(ascii: "b")
        case .seccomp: UInt8(ascii: "s")
        case .proceed: UInt8(ascii: "p")
        case .seccompListener: UInt8(ascii: "l")
        case .runHooks: UInt8(ascii: "h")
        case .hooksDone: UInt8(ascii: "d")
        case .ready: UInt8(ascii: "r")
        case .failed: UInt8(ascii: "e")
        }
    }

    var payload: [UInt8] {
        switch self {
        case .bootstrap(let bytes), .seccomp(let bytes): bytes
        case .failed(let message): Array(message.utf8)
        default: []
        }
    }

    init?(type: UInt8, payload: ArraySlice<UInt8>) {
        switch type {
        case UInt8(ascii: "b"): self = .bootstrap(Array(payload))
        case UInt8(ascii: "s"): self = .seccomp(Array(payload))
        case UInt8(ascii: "p"): self = .proceed
        case UInt8(ascii: "l"): self = .seccompListener
        case UInt8(ascii: "h"): self = .runHooks
        case UInt8(ascii: "d"): self = .hooksDone
        case UInt8(ascii: "r"): self = .ready
        case UInt8(ascii: "e"): self = .failed(String(decoding: payload, as: UTF8.self))
        default: return nil
        }
    }
}

/// One end of the runtime ↔ init socket pair.
public struct SyncSocket {
    public let fd: Int32

    public init(fd: Int32) { self.fd = fd }

    /// The largest message: the bootstrap carries the whole config.json.
    static let maxMessage = 4 << 20

    public func send(_ message: SyncMessage, passing passedFD: Int32 = -1) throws {
        let bytes = [message.typeByte] + message.payload
        try syscall("send sync message") { bt_send_fd(fd, bytes, bytes.count, passedFD) }
    }

    /// Receives one message; nil at end of file (the peer closed or died).
    public func receive() throws -> (SyncMessage, passedFD: Int32)? {
        // Sized to the message: the init runs in the container's memory cgroup, so it must not
        // touch more memory than it needs.
        let size = try syscall("receive sync message") { bt_next_message_size(fd) }
        guard size <= SyncSocket.maxMessage else {
            throw BerthError(.invalidArgument, "sync socket: message of \(size) bytes is too large")
        }
        var buffer = [UInt8](repeating: 0, count: max(size, 1))
        var passed: Int32 = -1
        let n = try syscall("receive sync message") { bt_recv_fd(fd, &buffer, buffer.count, &passed) }
        if n == 0 { return nil }
        // The C spawner's final process reports an exec failure as a `bt_spawn_msg` with 'E'.
        if n == MemoryLayout<bt_spawn_msg>.size && buffer[0] == UInt8(ascii: "E") {
            let code = buffer.withUnsafeBytes { $0.load(fromByteOffset: 8, as: Int32.self) }
            return (.failed("start init: exec: \(errnoDescription(code))"), passed)
        }
        guard let message = SyncMessage(type: buffer[0], payload: buffer[1..<n]) else {
            throw BerthError(.internalError, "sync socket: unexpected message type \(buffer[0])")
        }
        return (message, passed)
    }

    /// Receives a message and checks it is `expected`; a `failed` message becomes the thrown error.
    public func expect(_ expected: SyncMessage) throws {
        guard let (message, _) = try receive() else {
            throw BerthError(.internalError, "sync socket closed while waiting for \(expected)")
        }
        if case .failed(let text) = message { throw BerthError(.external, text) }
        guard message == expected else {
            throw BerthError(.internalError, "sync socket: expected \(expected), got \(message)")
        }
    }
}

import Diagnostics

/// One packet of the attach protocol, spoken over `<container dir>/attach` (AF_UNIX,
/// SOCK_SEQPACKET, one message per packet). The first byte is the type, the rest the payload
/// (at most ``maxPayload`` bytes).
///
/// Server (monitor) → client: ``stdout(_:)`` (1), ``stderr(_:)`` (2), ``exit(_:)`` (3, an Int32
/// big-endian; the server then closes the connection). Client → server: ``stdin(_:)`` (0),
/// ``closeStdin`` (4: the monitor closes the container's stdin, docker's StdinOnce) and
/// ``resize(rows:cols:)`` (5: two UInt16 big-endian, applied with TIOCSWINSZ on the pty master).
public enum AttachMessage: Sendable, Equatable {
    /// Bytes for the container's stdin.
    case stdin([UInt8])
    /// Bytes the container wrote to stdout (with a terminal: everything it wrote).
    case stdout([UInt8])
    /// Bytes the container wrote to stderr.
    case stderr([UInt8])
    /// The container exited with this code (128 + signal when killed).
    case exit(Int32)
    /// End of the client's input: close the container's stdin.
    case closeStdin
    /// The client's terminal size.
    case resize(rows: UInt16, cols: UInt16)

    /// The largest payload of one packet (32 KiB).
    public static let maxPayload = 32 << 10
    /// The largest packet: the type byte and the payload.
    public static let maxPacket = maxPayload + 1

    /// The type byte of each message.
    enum Kind: UInt8 {
        case stdin = 0, stdout = 1, stderr = 2, exit = 3, closeStdin = 4, resize = 5
    }

    /// The packet: the type byte, then the payload.
    public func encoded() -> [UInt8] {
        switch self {
        case .stdin(let bytes): return [Kind.stdin.rawValue] + bytes
        case .stdout(let bytes): return [Kind.stdout.rawValue] + bytes
        case .stderr(let bytes): return [Kind.stderr.rawValue] + bytes
        case .exit(let code):
            let value = UInt32(bitPattern: code)
            return [Kind.exit.rawValue, UInt8(value >> 24), UInt8(value >> 16 & 0xff), UInt8(value >> 8 & 0xff), UInt8(value & 0xff)]
        case .closeStdin: return [Kind.closeStdin.rawValue]
        case .resize(let rows, let cols):
            return [Kind.resize.rawValue, UInt8(rows >> 8), UInt8(rows & 0xff), UInt8(cols >> 8), UInt8(cols & 0xff)]
        }
    }

    /// Parses one packet.
    /// - Throws: `.invalidArgument` for an empty packet, an unknown type, a bad size or a payload
    ///   over ``maxPayload``.
    public static func decode(_ packet: some Collection<UInt8>) throws -> AttachMessage {
        let bytes = Array(packet)
        guard let first = bytes.first else { throw BerthError.invalid("attach: empty message") }
        guard let kind = Kind(rawValue: first) else { throw BerthError.invalid("attach: unknown message type \(first)") }
        let payload = Array(bytes.dropFirst())
        guard payload.count <= maxPayload else {
            throw BerthError.invalid("attach: message of \(payload.count) bytes is over \(maxPayload)")
        }
        func sized(_ count: Int) throws {
            guard payload.count == count else {
                throw BerthError.invalid("attach: message type \(first) needs \(count) bytes, not \(payload.count)")
            }
        }
        switch kind {
        case .stdin: return .stdin(payload)
        case .stdout: return .stdout(payload)
        case .stderr: return .stderr(payload)
        case .exit:
            try sized(4)
            let value = payload.reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
            return .exit(Int32(bitPattern: value))
        case .closeStdin:
            try sized(0)
            return .closeStdin
        case .resize:
            try sized(4)
            return .resize(rows: UInt16(payload[0]) << 8 | UInt16(payload[1]), cols: UInt16(payload[2]) << 8 | UInt16(payload[3]))
        }
    }

    /// `bytes` as packets of at most ``maxPayload`` bytes each, made by `make`.
    static func chunked(_ bytes: ArraySlice<UInt8>, _ make: ([UInt8]) -> AttachMessage) -> [AttachMessage] {
        stride(from: bytes.startIndex, to: bytes.endIndex, by: maxPayload).map {
            make(Array(bytes[$0..<min($0 + maxPayload, bytes.endIndex)]))
        }
    }
}

/// The name of the attach socket in a container's directory.
public enum AttachSocket {
    /// "attach".
    public static let name = "attach"
}

import Diagnostics
import LinuxSyscalls
import LiteJSON

/// A message on the sync socket between the launcher (the CLI) and a starting monitor: one JSON
/// object per SOCK_SEQPACKET packet. Monitor → CLI: `{"created":PID}`, `{"started":PID}`,
/// `{"error":"..."}`; CLI → monitor: `{"start":true}`.
struct SyncMessage: Codable, Sendable, Equatable {
    var created: Int32?
    var start: Bool?
    var started: Int32?
    var error: String?

    static func created(_ pid: Int32) -> SyncMessage { SyncMessage(created: pid) }
    static func started(_ pid: Int32) -> SyncMessage { SyncMessage(started: pid) }
    static func failed(_ message: String) -> SyncMessage { SyncMessage(error: message) }
    static let startRequest = SyncMessage(start: true)

    /// Sends the message as one packet.
    func send(on socket: FileDescriptor) throws {
        let bytes = try BerthError.wrap("encode sync message") { try LiteJSONEncoder().encode(self) }
        try LocalSocket.send(socket, bytes)
    }

    /// Receives one message; nil at end of file (the peer is gone).
    static func receive(on socket: FileDescriptor) throws -> SyncMessage? {
        guard let bytes = try LocalSocket.receive(socket, capacity: 64 << 10), !bytes.isEmpty else { return nil }
        do {
            return try LiteJSONDecoder().decode(SyncMessage.self, from: bytes)
        } catch {
            throw BerthError(.internalError, "sync message: \(error)")
        }
    }
}

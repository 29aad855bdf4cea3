import Diagnostics
import LinuxSyscalls

#if canImport(Glibc)
import Glibc
#endif

/// The monitor's side of the attach protocol: the listening socket `<container dir>/attach`
/// and the clients attached to it. Output is queued per client and sent without blocking, so a
/// slow client never stalls the container; one that falls more than ``queueLimit`` behind is
/// disconnected.
final class AttachServer {
    /// One attached client.
    final class Connection {
        let socket: FileDescriptor
        var queue: [[UInt8]] = []
        var queuedBytes = 0

        init(_ socket: FileDescriptor) { self.socket = socket }
    }

    /// How far a client may fall behind before it is dropped.
    static let queueLimit = 4 << 20

    /// The container directory, open O_PATH: the socket is bound and removed through it, since
    /// the directory's own path may be longer than `sun_path`.
    private let directory: FileDescriptor
    private(set) var listener: FileDescriptor?
    private(set) var clients: [Connection] = []

    /// Listens on `<containerDirectory>/attach` (mode 0600), replacing a stale socket.
    init(containerDirectory: String) throws {
        directory = try FileDescriptor.open(containerDirectory, OpenFlags.path | O_DIRECTORY)
        unlinkat(directory.rawValue, AttachSocket.name, 0)
        let socket = try LocalSocket.listen(path: "\(directory.procPath)/\(AttachSocket.name)", type: LocalSocket.seqpacket)
        _ = fcntl(socket.rawValue, F_SETFL, fcntl(socket.rawValue, F_GETFL) | O_NONBLOCK)
        listener = socket
    }

    /// Accepts every waiting connection; returns the new clients.
    func acceptAll() -> [Connection] {
        guard let listener else { return [] }
        var accepted: [Connection] = []
        while let socket = try? LocalSocket.accept(listener) {
            _ = fcntl(socket.rawValue, F_SETFL, fcntl(socket.rawValue, F_GETFL) | O_NONBLOCK)
            accepted.append(Connection(socket))
        }
        clients += accepted
        return accepted
    }

    /// Sends `message` to every client (queued behind what they have not taken yet).
    func broadcast(_ message: AttachMessage) {
        let packet = message.encoded()
        for client in clients {
            if client.queue.isEmpty, (try? LocalSocket.send(client.socket, packet, dontWait: true)) == true { continue }
            client.queue.append(packet)
            client.queuedBytes += packet.count
            if client.queuedBytes > Self.queueLimit { drop(client) }
        }
    }

    /// Sends what `client` has queued, as far as its socket takes it.
    func flush(_ client: Connection) {
        while let packet = client.queue.first {
            do {
                guard try LocalSocket.send(client.socket, packet, dontWait: true) else { return }
            } catch {
                drop(client)
                return
            }
            client.queue.removeFirst()
            client.queuedBytes -= packet.count
        }
    }

    /// Disconnects `client`.
    func drop(_ client: Connection) {
        client.socket.close()
        clients.removeAll { $0 === client }
    }

    /// Sends every client its queued output and the exit message, waiting at most a second in
    /// all, then disconnects them.
    func finish(exitCode: Int32) {
        let deadline = MonotonicClock.milliseconds() + 1000
        let exit = AttachMessage.exit(exitCode).encoded()
        for client in clients {
            client.queue.append(exit)
            client.queuedBytes += exit.count
            while !client.queue.isEmpty && client.socket.rawValue >= 0 {
                flush(client)
                let left = deadline - MonotonicClock.milliseconds()
                guard !client.queue.isEmpty, left > 0 else { break }
                var entry = pollfd(fd: client.socket.rawValue, events: Int16(POLLOUT), revents: 0)
                _ = poll(&entry, 1, Int32(left))
            }
            // Read what the client sent meanwhile (a resize, input): an AF_UNIX socket closed
            // with unread data resets the peer, which would lose the exit message.
            while client.socket.rawValue >= 0,
                  let packet = try? LocalSocket.receive(client.socket, capacity: AttachMessage.maxPacket, dontWait: true),
                  !packet.isEmpty {}
            client.socket.close()
        }
        clients.removeAll()
    }

    /// Stops listening and removes the socket: a later client gets ENOENT ("not running").
    func close() {
        guard listener != nil else { return }
        unlinkat(directory.rawValue, AttachSocket.name, 0)
        listener = nil
    }
}

/// CLOCK_MONOTONIC in milliseconds.
enum MonotonicClock {
    static func milliseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec) / 1_000_000
    }
}

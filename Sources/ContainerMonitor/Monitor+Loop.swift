import CBerthShim
import ContainerLogs
import Diagnostics
import LinuxSyscalls

#if canImport(Glibc)
import Glibc
#endif

extension MonitorProcess {
    /// Serves attach clients until the launcher sends start or goes away, the container exits,
    /// or SIGTERM comes.
    func waitForStart() {
        while waitStatus == nil && !stopForGood {
            guard sync != nil else { return }  // the launcher is gone: start anyway
            if pollOnce(timeout: -1, watchSync: true) { return }
        }
    }

    /// Relays until the container's init has been reaped.
    func runUntilExit() {
        while waitStatus == nil { pollOnce(timeout: -1) }
    }

    /// One poll over signals, the attach socket and clients, the container's stdio and (when
    /// `watchSync`) the sync socket. Returns true when the launcher sent start or went away.
    @discardableResult
    func pollOnce(timeout: Int32, watchSync: Bool = false) -> Bool {
        let clients = attach.clients
        let readClients = (io?.stdinQueue.count ?? 0) < ContainerIO.stdinQueueLimit
        var fds = [
            pollfd(fd: signals.readEnd.rawValue, events: Int16(POLLIN), revents: 0),
            pollfd(fd: attach.listener?.rawValue ?? -1, events: Int16(POLLIN), revents: 0),
            pollfd(fd: watchSync ? sync?.rawValue ?? -1 : -1, events: Int16(POLLIN), revents: 0),
            pollfd(fd: io?.stdout?.rawValue ?? -1, events: Int16(POLLIN), revents: 0),
            pollfd(fd: io?.stderr?.rawValue ?? -1, events: Int16(POLLIN), revents: 0),
            pollfd(fd: io?.stdinQueue.isEmpty == false ? io?.stdin?.rawValue ?? -1 : -1, events: Int16(POLLOUT), revents: 0),
        ]
        for client in clients {
            let events = (readClients ? POLLIN : 0) | (client.queue.isEmpty ? 0 : POLLOUT)
            fds.append(pollfd(fd: client.socket.rawValue, events: Int16(events), revents: 0))
        }
        if poll(&fds, nfds_t(fds.count), timeout) < 0 { return false }  // EINTR: a signal, seen next time

        if fds[0].revents != 0 { handleSignals() }
        if fds[1].revents != 0 {
            // New clients are read at once: a resize sent before start must land before start.
            for client in attach.acceptAll() { readClient(client) }
        }
        if fds[3].revents != 0, let fd = io?.stdout { _ = readOutput(fd, .stdout) }
        if fds[4].revents != 0, let fd = io?.stderr { _ = readOutput(fd, .stderr) }
        for (index, client) in clients.enumerated() {
            let revents = fds[6 + index].revents
            if revents & Int16(POLLOUT) != 0 { attach.flush(client) }
            if revents & Int16(POLLIN | POLLHUP | POLLERR) != 0 { readClient(client) }
        }
        if fds[5].revents != 0 { io?.flushStdin() }
        if fds[2].revents != 0, let sync {
            switch try? SyncMessage.receive(on: sync) {
            case let message? where message.start == true: return true
            case .some: return false
            case nil:
                self.sync = nil  // end of file or an error: the launcher died
                return true
            }
        }
        return false
    }

    /// SIGCHLD: reap every child (we are a subreaper); SIGTERM/SIGINT: kill the container for good.
    func handleSignals() {
        let arrived = signals.take()
        if arrived.contains(SIGCHLD) { reapChildren() }
        if arrived.contains(SIGTERM) || arrived.contains(SIGINT) {
            stopForGood = true
            if pid > 0 && waitStatus == nil {
                do { try runtime.kill(id: id, signal: SIGKILL) } catch { recordError("stop: \(error)") }
            }
        }
    }

    /// waitpid(-1, WNOHANG) until nothing is left; notes the container's init.
    func reapChildren() {
        var status: Int32 = 0
        while true {
            let reaped = waitpid(-1, &status, WNOHANG)
            if reaped < 0 && errno == EINTR { continue }
            if reaped <= 0 { return }
            if reaped == pid { waitStatus = status }
        }
    }

    /// Reads one chunk of output into the log and to the clients; false at end of file or when
    /// nothing is there (EAGAIN). End of file (or EIO on a pty master whose slave is gone)
    /// closes the descriptor.
    func readOutput(_ fd: FileDescriptor, _ stream: LogStream) -> Bool {
        var buffer = [UInt8](repeating: 0, count: AttachMessage.maxPayload)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd.rawValue, $0.baseAddress, $0.count) }
            if n > 0 {
                let bytes = buffer[0..<n]
                do { try log.write(stream: stream, bytes) } catch {
                    if !logFailed { recordError("log: \(error)") }
                    logFailed = true
                }
                attach.broadcast(stream == .stdout ? .stdout(Array(bytes)) : .stderr(Array(bytes)))
                return true
            }
            if n < 0 && errno == EINTR { continue }
            if n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) { return false }
            // End of file or an error: this stream is done.
            if let io {
                if io.stdout === fd { io.stdout = nil }
                if io.stderr === fd { io.stderr = nil }
            }
            if io?.master !== fd { fd.close() }
            return false
        }
    }

    /// Takes every packet a client has sent; drops it at end of file or on a bad message.
    func readClient(_ client: AttachServer.Connection) {
        while client.socket.rawValue >= 0 {
            let packet: [UInt8]?
            do { packet = try LocalSocket.receive(client.socket, capacity: AttachMessage.maxPacket, dontWait: true) } catch {
                attach.drop(client)
                return
            }
            guard let packet else { return }  // nothing more for now
            guard !packet.isEmpty, let message = try? AttachMessage.decode(packet) else {
                attach.drop(client)
                return
            }
            handle(message)
        }
    }

    /// Applies one client message.
    func handle(_ message: AttachMessage) {
        guard let io else { return }
        switch message {
        case .stdin(let bytes):
            guard io.stdin != nil else { return }
            io.stdinQueue += bytes
            io.flushStdin()
        case .closeStdin:
            io.closeStdinPending = true
            io.flushStdin()
        case .resize(let rows, let cols):
            if let master = io.master { _ = bt_ioctl_set_winsize(master.rawValue, rows, cols) }
        case .stdout, .stderr, .exit:
            break  // server-to-client messages: ignored
        }
    }
}

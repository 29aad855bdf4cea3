import CBerthShim
import Diagnostics
import LinuxSyscalls

#if canImport(Glibc)
import Glibc
#endif

/// For `berth exec -it`: relays between our terminal and a pty master we received ourselves.
public enum TerminalRelay {
    /// Raw mode (when fd 0 is a terminal) and our window size on the master, then our stdin →
    /// master and master → fd 1, until the master hangs up (the exec'd process and everything
    /// holding the slave exited) or `done()` returns true (checked at least every 100 ms). The
    /// terminal is restored on every way out. When our stdin ends, input stops; output goes on.
    /// - Parameters:
    ///   - master: the pty master.
    ///   - stdin: relay our stdin to the master (false: output only, no raw mode).
    ///   - detachKeys: watch for ctrl-p ctrl-q (→ `.detached`).
    ///   - done: polled; true ends the relay (→ `.disconnected`) after draining the master.
    /// - Returns: `.disconnected` when the master hung up or `done()`, `.detached` on the detach keys.
    /// - Throws: `.system` when poll fails.
    @discardableResult
    public static func relay(master: FileDescriptor, stdin: Bool = true, detachKeys: Bool = false, done: () -> Bool = { false }) throws -> AttachOutcome {
        let terminal = TerminalMode(raw: stdin, watchSize: true)
        defer { terminal.restore() }
        func copySize() {
            if let size = terminal.windowSize() { _ = bt_ioctl_set_winsize(master.rawValue, size.rows, size.cols) }
        }
        copySize()
        var keys = DetachKeys()
        var readingStdin = stdin
        var buffer = [UInt8](repeating: 0, count: 32 << 10)
        func drain() {
            _ = fcntl(master.rawValue, F_SETFL, fcntl(master.rawValue, F_GETFL) | O_NONBLOCK)
            while case let n = read(master.rawValue, &buffer, buffer.count), n > 0 { writeFully(1, buffer[0..<n]) }
        }
        while true {
            if done() { drain(); return .disconnected }
            var fds = [pollfd(fd: readingStdin ? 0 : -1, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: master.rawValue, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: terminal.windowChanges, events: Int16(POLLIN), revents: 0)]
            if poll(&fds, 3, 100) < 0 {
                if errno == EINTR { continue }
                throw BerthError.system("poll terminal")
            }
            if fds[2].revents != 0 {
                terminal.takeWindowChanges()
                copySize()
            }
            if fds[0].revents != 0 {
                let n = read(0, &buffer, buffer.count)
                if n > 0 {
                    var input = Array(buffer[0..<n])
                    if detachKeys {
                        let (forward, detach) = keys.feed(input)
                        input = forward
                        if detach { writeFully(master.rawValue, input); return .detached }
                    }
                    writeFully(master.rawValue, input)
                } else if n == 0 || (errno != EINTR && errno != EAGAIN) {
                    readingStdin = false
                }
            }
            if fds[1].revents & Int16(POLLIN) != 0 {
                let n = read(master.rawValue, &buffer, buffer.count)
                if n > 0 { writeFully(1, buffer[0..<n]) } else if n == 0 || errno != EINTR && errno != EAGAIN { return .disconnected }
            } else if fds[1].revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0 {
                drain()
                return .disconnected
            }
        }
    }
}

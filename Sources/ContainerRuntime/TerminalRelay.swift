import CBerthShim
import Diagnostics
import LinuxSyscalls

#if canImport(Glibc)
import Glibc
#endif

/// Relays between the runtime's own terminal and a container's pty master for `run` in the
/// foreground: stdin raw, window size copied, until the container's init exits.
struct TerminalRelay {
    let master: FileDescriptor

    /// Relays until `pid` exits; returns its wait status.
    func relay(until pid: Int32) throws -> Int32 {
        let interactive = isatty(0) == 1
        var saved = termios()
        if interactive {
            tcgetattr(0, &saved)
            var raw = saved
            cfmakeraw(&raw)
            tcsetattr(0, TCSANOW, &raw)
            copyWindowSize()
        }
        defer { if interactive { tcsetattr(0, TCSANOW, &saved) } }
        let pidfd = FileDescriptor(try syscall("pidfd_open") { bt_pidfd_open(pid) })
        var buffer = [UInt8](repeating: 0, count: 16384)
        var stdinOpen = true
        while true {
            var fds = [pollfd(fd: stdinOpen ? 0 : -1, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: master.rawValue, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: pidfd.rawValue, events: Int16(POLLIN), revents: 0)]
            if poll(&fds, 3, -1) < 0 {
                if errno == EINTR { if interactive { copyWindowSize() }; continue }
                throw BerthError.system("poll terminal")
            }
            if fds[0].revents != 0 {
                let n = read(0, &buffer, buffer.count)
                if n > 0 { _ = try? master.writeAll(buffer[0..<n]) } else { stdinOpen = false }
            }
            if fds[1].revents & Int16(POLLIN) != 0 {
                let n = read(master.rawValue, &buffer, buffer.count)
                if n > 0 { writeOut(buffer[0..<n]) }
            }
            if fds[2].revents != 0 || fds[1].revents & Int16(POLLHUP) != 0 {
                drain(&buffer)
                return try Processes.wait(pid)
            }
        }
    }

    private func drain(_ buffer: inout [UInt8]) {
        _ = fcntl(master.rawValue, F_SETFL, O_NONBLOCK)
        while case let n = read(master.rawValue, &buffer, buffer.count), n > 0 { writeOut(buffer[0..<n]) }
    }

    private func writeOut(_ bytes: ArraySlice<UInt8>) {
        var offset = bytes.startIndex
        while offset < bytes.endIndex {
            let n = bytes[offset...].withUnsafeBytes { write(1, $0.baseAddress, $0.count) }
            if n <= 0 { if errno == EINTR { continue }; return }
            offset += n
        }
    }

    private func copyWindowSize() {
        var rows: UInt16 = 0, cols: UInt16 = 0
        if bt_ioctl_get_winsize(0, &rows, &cols) == 0 { _ = bt_ioctl_set_winsize(master.rawValue, rows, cols) }
    }
}

#if canImport(Glibc)
import Glibc
#endif

/// The size of the terminal on stdin, for a container's pty.
struct TerminalSize {
    var rows: UInt16
    var cols: UInt16

    static func current(fd: Int32 = 0) -> TerminalSize? {
        guard isatty(fd) == 1 else { return nil }
        var size = winsize()
        guard ioctl(fd, UInt(TIOCGWINSZ), &size) == 0, size.ws_row > 0 else { return nil }
        return TerminalSize(rows: size.ws_row, cols: size.ws_col)
    }
}

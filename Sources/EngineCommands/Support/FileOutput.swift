#if canImport(Glibc)
import Glibc
#endif

/// Unbuffered writes to stdout/stderr, so progress lines and errors interleave in order.
struct FileOutput {
    let fd: Int32

    static let standardOutput = FileOutput(fd: 1)
    static let standardError = FileOutput(fd: 2)

    var isTerminal: Bool { isatty(fd) == 1 }

    func write(_ text: String) {
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeMutableBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 { if errno == EINTR { continue } else { return } }
            offset += n
        }
    }
}

/// Writes one line to stdout, unbuffered: every command prints through this (or FileOutput), so
/// progress written from other threads and result lines come out in order.
func emit(_ line: String) {
    FileOutput.standardOutput.write(line + "\n")
}

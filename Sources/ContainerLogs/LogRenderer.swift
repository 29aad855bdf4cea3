import LinuxSyscalls

#if canImport(Glibc)
import Glibc
#endif

/// What `berth logs` prints for a record: the raw bytes, with `-t` after docker's timestamp
/// ("2024-01-02T03:04:05.120000000Z ", nine fraction digits) and a space.
public enum LogRenderer {
    public static func render(_ entry: LogEntry, timestamps: Bool) -> [UInt8] {
        guard timestamps else { return entry.bytes }
        return Array((LogTime.displayFormat(entry.timestamp) + " ").utf8) + entry.bytes
    }

    /// Writes the rendered record to standard output or standard error, as its stream says.
    public static func write(_ entry: LogEntry, timestamps: Bool, stdout: Int32 = STDOUT_FILENO, stderr: Int32 = STDERR_FILENO) throws {
        let bytes = render(entry, timestamps: timestamps)
        let fd = entry.stream == .stdout ? stdout : stderr
        var offset = 0
        while offset < bytes.count {
            let n = try syscall("write") { bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) } }
            offset += n
        }
    }
}

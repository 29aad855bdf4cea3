import Diagnostics
import LinuxSyscalls

#if canImport(Glibc)
import Glibc
#endif

/// Writes a container's output as docker's json-file log: one JSON record per line,
/// `{"log":"hello\n","stream":"stdout","time":"2024-01-02T03:04:05.123456789Z"}`.
///
/// Output is split into lines per stream, as docker's log copier does: a record ends at `\n`;
/// bytes without one are held until the `\n` comes or 16 KiB pile up, and then written as a
/// partial record whose `log` has no trailing `\n`. With `maxSize`, the file is rotated before a
/// record would take it past that size: `<path>` becomes `<path>.1`, `<path>.1` becomes
/// `<path>.2`, … and `<path>.<maxFiles-1>` is dropped (`maxFiles == 1` truncates instead).
/// Not thread-safe: the monitor owns one writer.
public final class JSONFileLogWriter {
    /// docker's `defaultBufSize`: the longest partial line held back.
    public static let partialLineLimit = 16 * 1024

    public let path: String
    public let maxSize: Int64?
    public let maxFiles: Int
    private var fd: FileDescriptor?
    private var size: Int64 = 0
    private var pending: [LogStream: [UInt8]] = [:]
    private var pendingTime: [LogStream: Timestamp] = [:]

    /// Opens (creating, mode 0640) `path` for appending.
    public init(path: String, maxSize: Int64?, maxFiles: Int = 1) throws {
        guard maxSize.map({ $0 > 0 }) ?? true else { throw BerthError.invalid("max-size must be a positive number") }
        guard maxFiles >= 1 else { throw BerthError.invalid("max-file cannot be less than 1") }
        self.path = path
        self.maxSize = maxSize
        self.maxFiles = maxFiles
        try openFile()
    }

    public convenience init(path: String, options: LogOptions) throws {
        try self.init(path: path, maxSize: options.maxSize, maxFiles: options.maxFiles)
    }

    deinit { try? close() }

    /// Logs `bytes` read from the container's `stream` at `time`.
    public func write(stream: LogStream, _ bytes: some Collection<UInt8>, time: Timestamp = .now()) throws {
        guard fd != nil else { throw BerthError(.invalidState, "write \(path): log file is closed") }
        var buffer = pending[stream, default: []]
        if buffer.isEmpty { pendingTime[stream] = time }
        buffer.append(contentsOf: bytes)
        var out: [UInt8] = []
        var start = 0
        while true {
            let rest = buffer[start...]
            if let newline = rest.firstIndex(of: UInt8(ascii: "\n")) {
                try emit(stream, buffer[start...newline], time: time, into: &out)
                start = newline + 1
            } else if rest.count >= Self.partialLineLimit {
                let end = start + Self.partialLineLimit
                try emit(stream, buffer[start..<end], time: time, into: &out)
                start = end
            } else {
                break
            }
        }
        pending[stream] = Array(buffer[start...])
        try flushRecords(&out)
    }

    /// Writes the partial lines held back, without a trailing `\n` (as docker marks a partial).
    public func flush() throws {
        var out: [UInt8] = []
        for stream in [LogStream.stdout, .stderr] {
            guard let buffer = pending[stream], !buffer.isEmpty else { continue }
            try emit(stream, buffer[...], time: pendingTime[stream] ?? .now(), into: &out)
            pending[stream] = []
        }
        try flushRecords(&out)
    }

    /// Flushes and closes the file; later writes fail.
    public func close() throws {
        guard fd != nil else { return }
        defer { fd?.close(); fd = nil }
        try flush()
    }

    // MARK: - Records and rotation

    /// The json-file record for one line, with its closing "\n".
    public static func record(stream: LogStream, _ line: some Collection<UInt8>, time: Timestamp) -> [UInt8] {
        var out = Array("{\"log\":".utf8)
        out.reserveCapacity(line.count + 80)
        JSONLogEscaping.appendQuoted(line, to: &out)
        out += Array(",\"stream\":\"\(stream.rawValue)\",\"time\":\"\(LogTime.fileFormat(time))\"}\n".utf8)
        return out
    }

    /// Adds the record to `out`, first writing `out` and rotating when the record would take the
    /// file past `maxSize`.
    private func emit(_ stream: LogStream, _ line: ArraySlice<UInt8>, time: Timestamp, into out: inout [UInt8]) throws {
        let record = Self.record(stream: stream, line, time: time)
        if let maxSize, size + Int64(out.count + record.count) > maxSize, size + Int64(out.count) > 0 {
            try flushRecords(&out)
            try rotate()
        }
        out += record
    }

    private func flushRecords(_ out: inout [UInt8]) throws {
        guard !out.isEmpty else { return }
        guard let fd else { throw BerthError(.invalidState, "write \(path): log file is closed") }
        do { try fd.writeAll(out) } catch let error as BerthError { throw error.context("write \(path)") }
        size += Int64(out.count)
        out.removeAll(keepingCapacity: true)
    }

    /// The name of the `index`th rotated file (docker's naming): `<path>.<index>`.
    public static func rotatedPath(_ path: String, _ index: Int) -> String { index == 0 ? path : "\(path).\(index)" }

    private func rotate() throws {
        guard let current = fd else { return }
        if maxFiles < 2 {
            try syscall("ftruncate", path: path) { ftruncate(current.rawValue, 0) }
            size = 0
            return
        }
        let oldest = Self.rotatedPath(path, maxFiles - 1)
        if unlink(oldest) == -1, errno != ENOENT { throw BerthError.system("unlink", path: oldest) }
        for index in stride(from: maxFiles - 2, through: 0, by: -1) {
            let from = Self.rotatedPath(path, index), to = Self.rotatedPath(path, index + 1)
            if rename(from, to) == -1, errno != ENOENT { throw BerthError.system("rename", path: from) }
        }
        current.close()
        fd = nil
        try openFile()
    }

    private func openFile() throws {
        let file = try FileDescriptor.open(path, O_WRONLY | O_APPEND | O_CREAT, mode: 0o640)
        size = Int64(try file.stat().st_size)
        fd = file
    }
}

import Diagnostics
import LinuxSyscalls
import LiteJSON

#if canImport(Glibc)
import Glibc
#endif

/// Reads a json-file log and the files rotation left next to it, oldest first:
/// `<path>.N`, …, `<path>.1`, `<path>`.
public struct JSONFileLogReader: Sendable {
    public let path: String

    public init(path: String) { self.path = path }

    /// The existing log files, oldest first. A missing live file is skipped.
    public func files() -> [String] {
        var rotated: [String] = []
        var index = 1
        while index < 10_000, Files.exists(JSONFileLogWriter.rotatedPath(path, index)) {
            rotated.append(JSONFileLogWriter.rotatedPath(path, index))
            index += 1
        }
        var result = Array(rotated.reversed())
        if Files.exists(path) { result.append(path) }
        return result
    }

    /// The records of all files, oldest first. `tail` keeps the last `tail` records across files
    /// (nil: all, as `--tail all`); then, as docker does, records before `since` or after `until`
    /// are dropped. A malformed line (a torn last write) is skipped.
    public func entries(since: Timestamp? = nil, until: Timestamp? = nil, tail: Int? = nil) throws -> [LogEntry] {
        var all: [LogEntry] = []
        for file in files() {
            let bytes: [UInt8]
            do { bytes = try Files.read(file, limit: Int.max) } catch let error as BerthError where error.code == .notFound {
                continue  // rotated away while we listed
            }
            var parser = LogLineParser()
            parser.feed(bytes[...]) { all.append($0) }
        }
        if let tail { all = Array(all.suffix(max(0, tail))) }
        return all.filter { entry in
            if let since, LogTime.isBefore(entry.timestamp, since) { return false }
            if let until, LogTime.isBefore(until, entry.timestamp) { return false }
            return true
        }
    }

    /// Parses `--tail`: "all" (or a negative number, as docker) is nil, else a count.
    public static func parseTail(_ text: String) throws -> Int? {
        if text == "all" { return nil }
        guard let count = Int(text) else { throw BerthError.invalid("invalid value for \"tail\": \(text)") }
        return count < 0 ? nil : count
    }
}

/// A place in the live log file: which file (by inode) and how far.
public struct LogPosition: Sendable, Equatable {
    public var inode: UInt64
    public var offset: Int64

    public init(inode: UInt64, offset: Int64) {
        self.inode = inode
        self.offset = offset
    }
}

/// Turns json-file bytes into entries, holding back an incomplete last line.
struct LogLineParser {
    private var partial: [UInt8] = []

    mutating func feed(_ bytes: ArraySlice<UInt8>, _ onEntry: (LogEntry) throws -> Void) rethrows {
        var start = bytes.startIndex
        while let newline = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) {
            if partial.isEmpty {
                if let entry = Self.parse(Array(bytes[start..<newline])) { try onEntry(entry) }
            } else {
                partial += bytes[start..<newline]
                if let entry = Self.parse(partial) { try onEntry(entry) }
                partial = []
            }
            start = newline + 1
        }
        partial += bytes[start...]
    }

    /// One record, or nil when the line is not one.
    static func parse(_ line: [UInt8]) -> LogEntry? {
        guard let value = try? JSONParser.parse(line),
              let log = value["log"]?.stringValue,
              let streamName = value["stream"]?.stringValue, let stream = LogStream(rawValue: streamName),
              let time = value["time"]?.stringValue, let timestamp = LogTime.parseRFC3339(time)
        else { return nil }
        return LogEntry(stream: stream, time: time, timestamp: timestamp, bytes: Array(log.utf8))
    }
}

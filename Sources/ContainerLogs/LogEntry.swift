import LinuxSyscalls

/// Which of the container's outputs a log line came from.
public enum LogStream: String, Sendable, Equatable {
    case stdout
    case stderr
}

/// One record of a json-file log.
public struct LogEntry: Sendable, Equatable {
    public var stream: LogStream
    /// The record's `time` exactly as the file holds it (RFC 3339, UTC).
    public var time: String
    /// `time` parsed: seconds since the epoch and nanoseconds.
    public var timestamp: Timestamp
    /// The logged bytes: a line with its `\n`, or a partial line without one.
    public var bytes: [UInt8]

    public init(stream: LogStream, time: String, timestamp: Timestamp, bytes: [UInt8]) {
        self.stream = stream
        self.time = time
        self.timestamp = timestamp
        self.bytes = bytes
    }

    /// Seconds since the epoch.
    public var seconds: Int64 { timestamp.seconds }
}

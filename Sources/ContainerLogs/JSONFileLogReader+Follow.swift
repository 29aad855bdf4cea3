import Diagnostics
import LinuxSyscalls

#if canImport(Glibc)
import Glibc
#endif

extension JSONFileLogReader {
    /// Where the live file ends now: follow from here to see only what is written later.
    /// Take it before `entries(…)` so that nothing falls between the two.
    public func endPosition() throws -> LogPosition {
        var st = stat()
        guard stat(path, &st) == 0 else {
            if errno == ENOENT { return LogPosition(inode: 0, offset: 0) }
            throw BerthError.system("stat", path: path)
        }
        return LogPosition(inode: UInt64(st.st_ino), offset: Int64(st.st_size))
    }

    /// Calls `onEntry` for each record written after `position` (nil: the live file's end), polling
    /// every `pollInterval` seconds, until `stopWhen` returns true; then reads what is left once
    /// more and returns. Survives rotation: the file being read is drained through its open
    /// descriptor before the new live file is opened. When the file has rotated since `position`
    /// was taken, the rest of `<path>.1` is read first. A file truncated in place (`max-file=1`)
    /// is read again from its start. More than one rotation within one poll loses the files between.
    public func follow(
        from position: LogPosition? = nil, pollInterval: Double = 0.1,
        onEntry: (LogEntry) throws -> Void, stopWhen: () -> Bool
    ) throws {
        var start = try position ?? endPosition()
        var parser = LogLineParser()
        var current = try openLive()
        // The position is in a file rotated away since: finish that one first.
        if let file = current, UInt64(try file.stat().st_ino) != start.inode, start.inode != 0 {
            let previous = JSONFileLogWriter.rotatedPath(path, 1)
            if let old = try? FileDescriptor.open(previous, O_RDONLY), UInt64(try old.stat().st_ino) == start.inode {
                _ = try drain(old, from: start.offset, &parser, onEntry)
                parser = LogLineParser()
            }
            start = LogPosition(inode: UInt64(try file.stat().st_ino), offset: 0)
        }
        var offset = start.offset
        while true {
            let stopping = stopWhen()
            if let file = current {
                if Int64(try file.stat().st_size) < offset { offset = 0; parser = LogLineParser() }  // truncated
                offset = try drain(file, from: offset, &parser, onEntry)
                let live = try endPosition()
                if live.inode != 0, live.inode != UInt64(try file.stat().st_ino) {
                    // Rotated: the old file is complete once the writer moved on; read its end.
                    offset = try drain(file, from: offset, &parser, onEntry)
                    current = try openLive()
                    offset = 0
                    parser = LogLineParser()
                    continue
                }
            } else {
                current = try openLive()
                offset = 0
                if current != nil { continue }
            }
            if stopping { return }
            sleep(seconds: pollInterval)
        }
    }

    private func openLive() throws -> FileDescriptor? {
        do { return try FileDescriptor.open(path, O_RDONLY) } catch let error as BerthError where error.code == .notFound {
            return nil
        }
    }

    /// Reads `file` from `offset` to its end, passing complete records on; returns the new offset.
    private func drain(
        _ file: FileDescriptor, from offset: Int64, _ parser: inout LogLineParser, _ onEntry: (LogEntry) throws -> Void
    ) throws -> Int64 {
        var offset = offset
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let n = try syscall("pread", path: path) {
                chunk.withUnsafeMutableBytes { pread(file.rawValue, $0.baseAddress, $0.count, off_t(offset)) }
            }
            if n == 0 { return offset }
            offset += Int64(n)
            try parser.feed(chunk[0..<n], onEntry)
        }
    }

    private func sleep(seconds: Double) {
        var request = timespec(tv_sec: Int(seconds), tv_nsec: Int((seconds - Double(Int(seconds))) * 1e9))
        var remaining = timespec()
        while nanosleep(&request, &remaining) == -1 && errno == EINTR { request = remaining }
    }
}

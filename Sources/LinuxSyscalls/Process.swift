import CBerthShim
import Diagnostics

#if canImport(Glibc)
import Glibc
#endif

/// Processes: identity across pid reuse, signals through pidfds, waiting.
public enum Processes {
    /// Field 22 of /proc/PID/stat (start time in clock ticks since boot), which tells a process
    /// apart from a later one that reuses its pid. nil when the process is gone.
    public static func startTime(_ pid: Int32) -> UInt64? {
        guard pid > 0, let bytes = try? Files.read("/proc/\(pid)/stat") else { return nil }
        // The command name (field 2) may contain spaces and parentheses: count from the last ')'.
        guard let close = bytes.lastIndex(of: UInt8(ascii: ")")) else { return nil }
        let fields = bytes[(close + 1)...].split(separator: UInt8(ascii: " "))
        // fields[0] is field 3 (state); start time is field 22.
        guard fields.count > 19 else { return nil }
        return UInt64(String(decoding: fields[19], as: UTF8.self))
    }

    /// The state letter of /proc/PID/stat (R, S, D, Z, T, ...), nil when gone.
    public static func stateLetter(_ pid: Int32) -> Character? {
        guard pid > 0, let bytes = try? Files.read("/proc/\(pid)/stat"),
              let close = bytes.lastIndex(of: UInt8(ascii: ")")), close + 2 < bytes.count
        else { return nil }
        return Character(UnicodeScalar(bytes[close + 2]))
    }

    /// True when `pid` is alive, not a zombie, and started at `startTime`.
    public static func isAlive(_ pid: Int32, startTime: UInt64) -> Bool {
        guard let now = Processes.startTime(pid), now == startTime else { return false }
        return stateLetter(pid) != "Z"
    }

    /// Sends `signal` to `pid` only if it is still the process that started at `startTime`:
    /// the pidfd pins the process, then the start time is checked, then the signal goes.
    public static func signal(_ pid: Int32, startTime: UInt64, _ signal: Int32) throws {
        let pidfd = bt_pidfd_open(pid)
        guard pidfd >= 0 else { throw BerthError.system("pidfd_open", path: String(pid)) }
        defer { close(pidfd) }
        guard Processes.startTime(pid) == startTime else {
            throw BerthError(.notFound, "process \(pid) is gone", errno: ESRCH)
        }
        try syscall("kill", path: String(pid)) { bt_pidfd_send_signal(pidfd, signal) }
    }

    /// waitpid(2) retrying EINTR; returns the raw status.
    @discardableResult
    public static func wait(_ pid: Int32) throws -> Int32 {
        var status: Int32 = 0
        try syscall("waitpid", path: String(pid)) { waitpid(pid, &status, 0) }
        return status
    }

    /// The shell-style exit code of a wait status: the code, or 128 + signal.
    public static func exitCode(fromWaitStatus status: Int32) -> Int32 {
        let signal = status & 0x7f
        if signal == 0 { return (status >> 8) & 0xff }
        return 128 + signal
    }
}

extension Processes {
    /// Waits until `pid` (not necessarily our child) has exited, through a pidfd.
    /// - Throws: `.system` when it is still alive after the timeout.
    public static func waitForExit(_ pid: Int32, startTime: UInt64, timeoutMilliseconds: Int) throws {
        let pidfd = bt_pidfd_open(pid)
        guard pidfd >= 0 else { return }  // already gone
        defer { close(pidfd) }
        guard isAlive(pid, startTime: startTime) else { return }
        var fds = [pollfd(fd: pidfd, events: Int16(POLLIN), revents: 0)]
        while true {
            let ready = poll(&fds, 1, Int32(timeoutMilliseconds))
            if ready < 0 && errno == EINTR { continue }
            if ready == 0 { throw BerthError(.system, "process \(pid) did not exit within \(timeoutMilliseconds) ms") }
            return
        }
    }
}

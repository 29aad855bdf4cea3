import Diagnostics

/// Signal names and numbers as `kill` takes them: "9", "KILL", "SIGKILL", "sigkill".
public enum Signals {
    static let table: [(String, Int32)] = [
        ("HUP", 1), ("INT", 2), ("QUIT", 3), ("ILL", 4), ("TRAP", 5), ("ABRT", 6), ("IOT", 6),
        ("BUS", 7), ("FPE", 8), ("KILL", 9), ("USR1", 10), ("SEGV", 11), ("USR2", 12),
        ("PIPE", 13), ("ALRM", 14), ("TERM", 15), ("STKFLT", 16), ("CHLD", 17), ("CONT", 18),
        ("STOP", 19), ("TSTP", 20), ("TTIN", 21), ("TTOU", 22), ("URG", 23), ("XCPU", 24),
        ("XFSZ", 25), ("VTALRM", 26), ("PROF", 27), ("WINCH", 28), ("IO", 29), ("POLL", 29),
        ("PWR", 30), ("SYS", 31),
    ]

    /// Parses a signal; real-time signals as "RTMIN+3" / "RTMAX-1" too.
    public static func parse(_ text: String) throws -> Int32 {
        if let number = Int32(text) {
            guard number > 0 && number <= 64 else { throw BerthError.invalid("unknown signal \"\(text)\"") }
            return number
        }
        var name = text.uppercased()
        if name.hasPrefix("SIG") { name.removeFirst(3) }
        if let entry = table.first(where: { $0.0 == name }) { return entry.1 }
        if name.hasPrefix("RTMIN") || name.hasPrefix("RTMAX") {
            let base: Int32 = name.hasPrefix("RTMIN") ? 34 : 64
            let rest = name.dropFirst(5)
            let offset = rest.isEmpty ? 0 : Int32(rest) ?? 100
            let number = base + offset
            if number >= 34 && number <= 64 { return number }
        }
        throw BerthError.invalid("unknown signal \"\(text)\"")
    }
}

import Diagnostics
import LinuxSyscalls
import LiteJSON

#if canImport(Glibc)
import Glibc
#endif

/// Finds the runtime's own reason for a failure: the `msg` of the last `"level":"error"` line of
/// its `--log` file (as containerd's shim reads it), else the last line of its stderr.
enum RuntimeErrorLog {
    /// The log file's size now, so a call reads back only what it appended.
    static func size(of path: String) -> Int {
        var info = stat()
        return stat(path, &info) == 0 ? Int(info.st_size) : 0
    }

    /// The bytes of `path` from `offset` on (at most 1 MiB, the tail); empty when unreadable.
    static func read(_ path: String, from offset: Int) -> [UInt8] {
        guard let bytes = try? Files.read(path) else { return [] }
        let start = bytes.count >= offset ? offset : 0  // truncated or replaced: read it all
        return Array(bytes[max(start, bytes.count - (1 << 20))...])
    }

    /// The reason, lower-cased at the front and without the runtime's "runc create failed: ".
    static func lastError(log: [UInt8], stderr: [UInt8], runtimeName: String) -> String? {
        let fromLog = lines(log).reversed().lazy.compactMap { jsonError($0, requireLevel: true) }.first
        let fromStderr = lines(stderr).last.map { jsonError($0, requireLevel: false) ?? logfmtMessage($0) ?? $0 }
        guard let reason = fromLog ?? fromStderr, !reason.isEmpty else { return nil }
        return clean(reason, runtimeName: runtimeName)
    }

    static func lines(_ bytes: [UInt8]) -> [String] {
        bytes.split(separator: UInt8(ascii: "\n"))
            .map { String(decoding: $0, as: UTF8.self).trimmingWhitespace() }
            .filter { !$0.isEmpty }
    }

    /// `{"level":"error","msg":"..."}` → msg.
    static func jsonError(_ line: String, requireLevel: Bool) -> String? {
        guard line.hasPrefix("{"), case .object(let members)? = try? JSONParser.parse(line) else { return nil }
        var level: String?
        var message: String?
        for (key, value) in members {
            guard case .string(let text) = value else { continue }
            if key == "level" { level = text }
            if key == "msg" || key == "message" { message = text }
        }
        if requireLevel || level != nil {
            guard let level, level == "error" || level == "fatal" || level == "panic" else { return nil }
        }
        return message
    }

    /// logrus's text form, `time="..." level=error msg="..."` → the msg, unquoted.
    static func logfmtMessage(_ line: String) -> String? {
        guard let start = line.firstRange(of: "msg=")?.upperBound else { return nil }
        var rest = line[start...]
        guard rest.first == "\"" else { return String(rest.prefix { $0 != " " }) }
        rest = rest.dropFirst()
        var message = ""
        var escaped = false
        for character in rest {
            if escaped { message.append(character); escaped = false; continue }
            if character == "\\" { escaped = true; continue }
            if character == "\"" { break }
            message.append(character)
        }
        return message
    }

    /// Drops a leading "<runtime> <op> failed: " (runc repeats the operation we already name) and
    /// lower-cases the first letter (Berth's message style).
    static func clean(_ reason: String, runtimeName: String) -> String {
        var text = Substring(reason)
        if text.hasPrefix(runtimeName + " "), let range = text.firstRange(of: " failed: ") {
            let between = text[text.index(text.startIndex, offsetBy: runtimeName.count + 1)..<range.lowerBound]
            if !between.contains(" ") { text = text[range.upperBound...] }
        }
        guard let first = text.first else { return "" }
        return first.lowercased() + text.dropFirst()
    }

    /// A stable code for callers to branch on, from the runtime's words.
    static func code(for reason: String) -> BerthError.Code {
        let lower = reason.lowercased()
        if lower.contains("does not exist") || lower.contains("not found") && lower.contains("container") {
            return .notFound
        }
        if lower.contains("already exists") { return .alreadyExists }
        if lower.contains("not running") || lower.contains("cannot start") || lower.contains("not paused")
            || lower.contains("is not stopped") || lower.contains("already running") || lower.contains("is paused") {
            return .invalidState
        }
        return .external
    }
}

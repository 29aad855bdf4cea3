import LinuxSyscalls

#if canImport(Glibc)
import Glibc
#endif

/// `--log FILE --log-format text|json`: errors and warnings go to stderr and, when given, as one
/// line each to FILE. containerd's shim reports the `msg` of the last JSON error line; podman
/// parses the whole file as one JSON object, so a failing command writes exactly one error line.
struct RuntimeLog: Sendable {
    var path: String?
    var json: Bool
    var debug: Bool

    func error(_ message: String) { emit(level: "error", message) }
    func warning(_ message: String) { emit(level: "warning", message) }

    private func emit(level: String, _ message: String) {
        let line = "berth-runtime: \(level == "error" ? "" : "\(level): ")\(message)\n"
        _ = line.withCString { write(2, $0, strlen($0)) }
        guard let path else { return }
        let time = Timestamp.now().rfc3339(fraction: false)
        let entry = json
            ? "{\"level\":\"\(level)\",\"msg\":\(RuntimeLog.quote(message)),\"time\":\"\(time)\"}\n"
            : "time=\"\(time)\" level=\(level) msg=\(RuntimeLog.quote(message))\n"
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return }
        _ = entry.withCString { write(fd, $0, strlen($0)) }
        close(fd)
    }

    /// A JSON string literal.
    static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}

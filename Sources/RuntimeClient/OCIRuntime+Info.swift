import Diagnostics
import LiteJSON
import OCIRuntimeSpec

extension OCIRuntime {
    /// `--version`: the runtime's free-form version text, trimmed.
    public func version() throws -> String {
        let output = try run("version", ["--version"], global: false)
        return String(decoding: output, as: UTF8.self).trimmingWhitespace()
    }

    /// `features`, decoded; nil when the runtime has no such subcommand (crun 1.8: "unknown
    /// command features") or prints something that is not a features object.
    public func features() throws -> Features? {
        let result = try invoke(["features"], stdio: .init(), extraFiles: [])
        guard result.status == 0 else { return nil }
        return try? LiteJSONDecoder().decode(Features.self, from: result.stdout)
    }
}

extension String {
    func trimmingWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) })
        else { return "" }
        return String(self[first...last])
    }
}

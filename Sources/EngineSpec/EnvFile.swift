import Diagnostics

/// `--env-file` contents and `-e` values, docker's rules (`opts.ParseEnvFile`).
public enum EnvFile {
    /// One `NAME=value` per line; blank lines and `#` comments are skipped, leading whitespace
    /// is dropped, and a bare `NAME` takes the value from `environment` (left out when unset).
    /// - Throws: `BerthError(.invalidArgument)`: `env.list: variable 'A B' contains whitespaces`.
    public static func parse(_ content: String, name: String, environment: [String: String]) throws(BerthError) -> [String] {
        var result: [String] = []
        for rawLine in content.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            var line = rawLine.drop { $0 == " " || $0 == "\t" }
            if line.last == "\r" { line = line.dropLast() }
            if line.isEmpty || line.hasPrefix("#") { continue }
            let key = line.prefix { $0 != "=" }
            if key.contains(where: { $0 == " " || $0 == "\t" }) {
                throw .invalid("\(name): variable '\(key)' contains whitespaces")
            }
            if key.isEmpty { throw .invalid("\(name): no variable name on line '\(line)'") }
            if let entry = try entry(String(line), environment: environment) { result.append(entry) }
        }
        return result
    }

    /// `-e NAME=value`, or `-e NAME` with the value from `environment` (nil when unset).
    /// - Throws: `BerthError(.invalidArgument)`: `invalid environment variable: =x`.
    public static func entry(_ text: String, environment: [String: String]) throws(BerthError) -> String? {
        if text.isEmpty || text.hasPrefix("=") { throw .invalid("invalid environment variable: \(text)") }
        if text.contains("=") { return text }
        guard let value = environment[text] else { return nil }
        return "\(text)=\(value)"
    }
}

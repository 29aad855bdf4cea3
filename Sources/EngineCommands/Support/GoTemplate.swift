import LiteJSON

/// The part of Go's text/template that `--format` is used with day to day: `{{.Field}}`,
/// `{{.A.B}}`, `{{json .}}` / `{{json .Field}}`, `{{.}}`, `\t` and `\n`, and a leading `table`
/// (a header row of the field names). Fields are looked up in a JSON object.
struct GoTemplate {
    enum Piece: Equatable { case text(String), field(path: [String], json: Bool) }

    let pieces: [Piece]
    let isTable: Bool

    /// - Throws: `EngineFailure` (exit 125) for an action this subset does not know.
    init(_ source: String) throws {
        var text = source
        isTable = text.hasPrefix("table")
        if isTable { text = String(text.dropFirst(5)).drop { $0 == " " }.description }
        text = text.replacingEscapes()
        var pieces: [Piece] = []
        var rest = Substring(text)
        while let open = rest.range(of: "{{") {
            if open.lowerBound > rest.startIndex { pieces.append(.text(String(rest[..<open.lowerBound]))) }
            guard let close = rest[open.upperBound...].range(of: "}}") else {
                throw EngineFailure("template: unclosed action in \(source.debugDescription)", exitCode: 125)
            }
            var action = rest[open.upperBound..<close.lowerBound].trimmed()
            if action.hasPrefix("-") { action = action.dropFirst().trimmed() }
            if action.hasSuffix("-") { action = action.dropLast().trimmed() }
            var json = false
            if action.hasPrefix("json ") || action == "json" {
                json = true
                action = action.dropFirst(4).trimmed()
            }
            guard action.hasPrefix(".") else {
                throw EngineFailure("template: unsupported action {{\(action)}} in \(source.debugDescription)", exitCode: 125)
            }
            let path = action.dropFirst().split(separator: ".").map(String.init)
            pieces.append(.field(path: path, json: json))
            rest = rest[close.upperBound...]
        }
        if !rest.isEmpty { pieces.append(.text(String(rest))) }
        self.pieces = pieces
    }

    /// The header row of a `table` template: each field's last name, upper-cased with docker's spacing.
    func header(names: [String: String] = [:]) -> String {
        pieces.map { piece in
            switch piece {
            case .text(let text): return text
            case .field(let path, _):
                let key = path.last ?? ""
                return names[key] ?? key.uppercased()
            }
        }.joined()
    }

    func render(_ value: JSONValue) -> String {
        pieces.map { piece in
            switch piece {
            case .text(let text): return text
            case .field(let path, let json):
                var current: JSONValue? = value
                for key in path { current = current?[key] }
                guard let current else { return json ? "null" : "<no value>" }
                return json ? String(decoding: current.serialized(), as: UTF8.self) : Self.plain(current)
            }
        }.joined()
    }

    /// How Go prints a value with `{{.X}}`: strings bare, maps as map[k:v], lists as [a b].
    static func plain(_ value: JSONValue) -> String {
        switch value {
        case .null: return "<nil>"
        case .bool(let flag): return flag ? "true" : "false"
        case .number(let text): return text
        case .string(let text): return text
        case .array(let items): return "[" + items.map(plain).joined(separator: " ") + "]"
        case .object(let members):
            return "map[" + members.sorted { $0.0 < $1.0 }.map { "\($0.0):\(plain($0.1))" }.joined(separator: " ") + "]"
        }
    }
}

extension Substring {
    func trimmed() -> Substring {
        var result = self
        while result.first == " " { result = result.dropFirst() }
        while result.last == " " { result = result.dropLast() }
        return result
    }
}

extension String {
    /// `\t` and `\n` typed in a shell argument become tab and newline, as docker's formatter does.
    func replacingEscapes() -> String {
        var result = ""
        var iterator = makeIterator()
        while let char = iterator.next() {
            guard char == "\\" else { result.append(char); continue }
            switch iterator.next() {
            case "t": result.append("\t")
            case "n": result.append("\n")
            case let other?: result.append("\\"); result.append(other)
            case nil: result.append("\\")
            }
        }
        return result
    }
}

import Diagnostics

/// The Dockerfile word rules `--change` arguments follow: whitespace separates words; single
/// quotes keep everything; double quotes keep spaces and expand `$VAR`; a backslash escapes the
/// next character; `$VAR` and `${VAR}` expand from `env` (`KEY=value` entries), unset ones to "".
enum ChangeWords {
    /// The words of `text`, quotes removed and variables expanded.
    /// - Throws: `invalidArgument` for an unterminated quote or `${`.
    static func split(_ text: String, env: [String]) throws -> [String] {
        try lex(text, env: env, splitting: true)
    }

    /// `text` as one word (spaces kept), quotes removed and variables expanded.
    static func expand(_ text: String, env: [String]) throws -> String {
        try lex(text, env: env, splitting: false).joined()
    }

    private static func lex(_ text: String, env: [String], splitting: Bool) throws -> [String] {
        var words: [String] = []
        var word = ""
        var inWord = false
        var chars = Array(text)[...]
        while let char = chars.popFirst() {
            switch char {
            case _ where char.isWhitespace && splitting:
                if inWord { words.append(word) }
                word = ""
                inWord = false
            case "\\":
                inWord = true
                if let next = chars.popFirst() { word.append(next) } else { word.append("\\") }
            case "'":
                inWord = true
                guard let close = chars.firstIndex(of: "'") else { throw BerthError.invalid("unterminated single quote in \(text.debugDescription)") }
                word += String(chars[..<close])
                chars = chars[(close + 1)...]
            case "\"":
                inWord = true
                var closed = false
                while let inner = chars.popFirst() {
                    if inner == "\"" { closed = true; break }
                    if inner == "\\", let next = chars.first, next == "\"" || next == "\\" || next == "$" {
                        word.append(next)
                        chars = chars.dropFirst()
                    } else if inner == "$" {
                        word += try variable(&chars, env: env, text: text)
                    } else {
                        word.append(inner)
                    }
                }
                guard closed else { throw BerthError.invalid("unterminated double quote in \(text.debugDescription)") }
            case "$":
                inWord = true
                word += try variable(&chars, env: env, text: text)
            default:
                inWord = true
                word.append(char)
            }
        }
        if inWord { words.append(word) }
        return words
    }

    /// Expands the variable after a `$` (already consumed); a lone `$` stays.
    private static func variable(_ chars: inout ArraySlice<Character>, env: [String], text: String) throws -> String {
        let name: String
        if chars.first == "{" {
            guard let close = chars.firstIndex(of: "}") else { throw BerthError.invalid("missing '}' in \(text.debugDescription)") }
            name = String(chars[(chars.startIndex + 1)..<close])
            chars = chars[(close + 1)...]
        } else {
            let taken = chars.prefix { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
            guard !taken.isEmpty else { return "$" }
            name = String(taken)
            chars = chars.dropFirst(taken.count)
        }
        let prefix = "\(name)="
        return env.last { $0.hasPrefix(prefix) }.map { String($0.dropFirst(prefix.count)) } ?? ""
    }
}

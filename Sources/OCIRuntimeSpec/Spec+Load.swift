import Diagnostics
import LiteJSON

extension Spec {
    /// Decodes a `config.json`. Reading the file is the caller's job: this module does no I/O.
    /// - Parameter bytes: the file's content.
    /// - Throws: `BerthError(.invalidArgument)`, one line naming the field:
    ///   `config.json: process.user.uid: expected a number, found a string`, or the place of a
    ///   syntax error: `config.json: invalid JSON at line 3, column 14: expected ',' or '}'`.
    public static func decode(_ bytes: [UInt8]) throws(BerthError) -> Spec {
        do {
            return try LiteJSONDecoder().decode(Spec.self, from: bytes)
        } catch {
            throw BerthError(.invalidArgument, "config.json: \(error)")
        }
    }

    /// The spec as JSON: pretty with two-space indents (Go's `MarshalIndent` layout), or compact.
    /// Nil fields are left out and map keys are sorted, so equal specs give equal bytes.
    /// - Parameters:
    ///   - pretty: one member per line.
    ///   - indent: the indentation of one level when `pretty` (`runc spec` uses a tab).
    /// - Throws: `BerthError(.internalError)`; a spec holds no floating-point fields, so this
    ///   does not happen in practice.
    public func encode(pretty: Bool = true, indent: String = "  ") throws(BerthError) -> [UInt8] {
        do {
            return try LiteJSONEncoder(pretty: pretty, indent: indent).encode(self)
        } catch {
            throw BerthError(.internalError, "encode config.json: \(error)")
        }
    }
}

extension Process {
    /// Decodes a process JSON as `exec --process FILE` takes it.
    /// - Throws: `BerthError(.invalidArgument)`: `process.json: cwd: missing`.
    public static func decode(_ bytes: [UInt8], file: String = "process.json") throws(BerthError) -> Process {
        do {
            return try LiteJSONDecoder().decode(Process.self, from: bytes)
        } catch {
            throw BerthError(.invalidArgument, "\(file): \(error)")
        }
    }
}

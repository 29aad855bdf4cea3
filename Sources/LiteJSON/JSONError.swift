/// A JSON parse, decode or encode failure, reported on one line.
///
/// `path` is the dotted path of the offending value (`linux.namespaces[2].type`), empty for the
/// document itself and for syntax errors, whose `message` says where instead
/// (`invalid JSON at line 3, column 14: expected ','`).
public struct JSONError: Error, CustomStringConvertible, Sendable, Equatable {
    public var path: String
    public var message: String

    public init(path: String = "", _ message: String) {
        self.path = path
        self.message = message
    }

    /// `"<path>: <message>"`, or only the message when the path is empty.
    public var description: String { path.isEmpty ? message : "\(path): \(message)" }
}

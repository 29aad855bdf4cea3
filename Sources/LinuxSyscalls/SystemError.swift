import Diagnostics

#if canImport(Glibc)
import Glibc
#endif

/// The text of an errno value in Berth's style: lower case, no trailing period.
public func errnoDescription(_ code: Int32) -> String {
    guard let cString = strerror(code) else { return "errno \(code)" }
    let text = String(cString: cString)
    guard let first = text.first else { return text }
    return first.lowercased() + text.dropFirst()
}

extension BerthError {
    /// An error for the system call `operation` that just failed, from the current `errno`:
    /// "mount /proc: operation not permitted".
    public static func system(_ operation: String, path: String? = nil, errno code: Int32 = Glibc.errno) -> BerthError {
        let subject = path.map { "\(operation) \($0)" } ?? operation
        let kind: Code = code == ENOENT ? .notFound : .system
        return BerthError(kind, "\(subject): \(errnoDescription(code))", errno: code)
    }
}

/// Calls `body` until it stops failing with EINTR; throws `BerthError.system` for `-1`.
@discardableResult
@inlinable
public func syscall<T: FixedWidthInteger>(
    _ operation: @autoclosure () -> String, path: @autoclosure () -> String? = nil, _ body: () -> T
) throws -> T {
    while true {
        let result = body()
        if result != -1 { return result }
        let code = errno
        if code == EINTR { continue }
        throw BerthError.system(operation(), path: path(), errno: code)
    }
}

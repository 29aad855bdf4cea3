/// The one error type every Berth layer throws upward.
///
/// `code` is stable and is what callers branch on; `message` is lower case, names the container,
/// path or field involved, and grows context as the error travels up:
/// "create web1: set up rootfs: mount /proc: operation not permitted".
public struct BerthError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Code: String, Sendable, Equatable {
        /// The user asked for something malformed (flags, config.json fields, ids).
        case invalidArgument
        /// The named container, file or object does not exist.
        case notFound
        /// The object exists already (a container id in use).
        case alreadyExists
        /// The container is not in a state that allows the operation.
        case invalidState
        /// A system call failed.
        case system
        /// A hook or another program failed or timed out.
        case external
        /// Anything else: a bug or an unexpected condition.
        case internalError
    }

    public var code: Code
    public var message: String
    /// The errno of the system call at the root of the error, when there is one.
    public var errno: Int32?

    public init(_ code: Code, _ message: String, errno: Int32? = nil) {
        self.code = code
        self.message = message
        self.errno = errno
    }

    public var description: String { message }

    /// The same error with `context` in front: `"<context>: <message>"`.
    public func context(_ context: String) -> BerthError {
        BerthError(code, "\(context): \(message)", errno: errno)
    }
}

extension BerthError {
    /// Runs `body`, prefixing any error it throws with `context`.
    @inlinable
    public static func wrap<T>(_ context: @autoclosure () -> String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as BerthError {
            throw error.context(context())
        } catch {
            throw BerthError(.internalError, "\(context()): \(error)")
        }
    }

    public static func invalid(_ message: String) -> BerthError { BerthError(.invalidArgument, message) }
}

/// The descriptors a runtime call gets as its fds 0, 1 and 2. For `create` and `exec` without a
/// terminal they are the container process's stdin, stdout and stderr: the runtime hands them on.
///
/// nil means: stdin from /dev/null; stdout and stderr captured through pipes for the calls that
/// print (`state`, `features`, `--version`, error text), and /dev/null for `create`/`exec`, whose
/// process outlives the call and would otherwise keep a pipe of ours (errors then come from the
/// `--log` file).
public struct RuntimeStdio: Sendable, Equatable {
    public var input: Int32?
    public var output: Int32?
    public var error: Int32?

    public init(input: Int32? = nil, output: Int32? = nil, error: Int32? = nil) {
        self.input = input
        self.output = output
        self.error = error
    }
}

/// What one runtime call produced.
struct RuntimeResult {
    /// The shell-style exit code (128 + signal when killed).
    var status: Int32
    var stdout: [UInt8]
    /// The tail of stderr (bounded).
    var stderr: [UInt8]
    /// The `--log` file lines this call appended.
    var log: [UInt8] = []
}

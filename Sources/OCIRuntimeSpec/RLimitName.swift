/// The rlimit names a spec may use, in kernel resource number order (`RLIMIT_CPU` is 0);
/// see getrlimit(2) and `include/uapi/asm-generic/resource.h`.
public enum RLimitName {
    /// Every known name; a name's index is its `resource` number for setrlimit(2)/prlimit(2).
    public static let all: [String] = [
        "RLIMIT_CPU", "RLIMIT_FSIZE", "RLIMIT_DATA", "RLIMIT_STACK", "RLIMIT_CORE", "RLIMIT_RSS",
        "RLIMIT_NPROC", "RLIMIT_NOFILE", "RLIMIT_MEMLOCK", "RLIMIT_AS", "RLIMIT_LOCKS",
        "RLIMIT_SIGPENDING", "RLIMIT_MSGQUEUE", "RLIMIT_NICE", "RLIMIT_RTPRIO", "RLIMIT_RTTIME",
    ]

    /// The resource number of `name` (`"RLIMIT_NOFILE"` → 7), nil when unknown.
    public static func number(_ name: String) -> Int? { all.firstIndex(of: name) }
}

/// The versions `berth` reports, and the platform it was built for.
public enum BerthVersion {
    /// The engine's own version (semantic versioning).
    public static let engine = "0.1.0"

    /// The Docker Engine API version the engine aims to serve.
    public static let api = "1.41"

    /// The OS in Go's `GOOS` spelling, as docker prints it.
    public static let os = "linux"

    /// The CPU architecture in Go's `GOARCH` spelling, as docker prints it.
    public static var arch: String {
        #if arch(x86_64)
        return "amd64"
        #elseif arch(arm64)
        return "arm64"
        #else
        return "unknown"
        #endif
    }

    /// The Swift compiler that built this binary.
    public static var swift: String {
        #if swift(>=6.3)
        return "6.3"
        #elseif swift(>=6.2)
        return "6.2"
        #else
        return "6.x"
        #endif
    }
}

import Diagnostics
import LinuxSyscalls

#if canImport(Glibc)
import Glibc
#endif

/// Picks the OCI runtime berth runs: `$BERTH_RUNTIME` (a path, or a name looked up in PATH), then
/// `berth-runtime` next to the running executable, then `berth-runtime` in PATH.
public struct RuntimeLocator: Sendable {
    /// The default runtime's file name.
    public static let defaultName = "berth-runtime"

    public var environment: [String: String]
    /// The running executable (`/proc/self/exe`); its directory is searched second.
    public var executablePath: String?

    public init(environment: [String: String], executablePath: String?) {
        self.environment = environment
        self.executablePath = executablePath
    }

    /// The locator for this process: its environment and `/proc/self/exe`.
    public static func current() -> RuntimeLocator {
        var environment: [String: String] = [:]
        var entry = environ
        while let pointer = entry.pointee {
            let text = String(cString: pointer)
            if let equals = text.firstIndex(of: "=") {
                environment[String(text[..<equals])] = String(text[text.index(after: equals)...])
            }
            entry += 1
        }
        return RuntimeLocator(environment: environment, executablePath: try? Files.readLink("/proc/self/exe"))
    }

    /// The runtime's absolute path.
    /// - Throws: `.notFound` naming every place looked at.
    public func locate() throws -> String {
        if let wanted = environment["BERTH_RUNTIME"], !wanted.isEmpty {
            if let found = resolve(wanted) { return found }
            throw BerthError(.notFound, "find runtime: BERTH_RUNTIME=\(wanted) is not an executable file")
        }
        if let executablePath, let slash = executablePath.lastIndex(of: "/") {
            let candidate = String(executablePath[..<slash]) + "/" + Self.defaultName
            if Self.isExecutable(candidate) { return candidate }
        }
        if let found = searchPath(Self.defaultName) { return found }
        throw BerthError(.notFound, "find runtime: no \(Self.defaultName) next to berth or in PATH; "
            + "set BERTH_RUNTIME to its path (or to runc or crun)")
    }

    func resolve(_ wanted: String) -> String? {
        if wanted.contains("/") { return Self.isExecutable(wanted) ? Files.absolute(wanted) : nil }
        return searchPath(wanted)
    }

    func searchPath(_ name: String) -> String? {
        let path = environment["PATH"] ?? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
        for directory in path.split(separator: ":", omittingEmptySubsequences: true) {
            let candidate = directory.hasSuffix("/") ? "\(directory)\(name)" : "\(directory)/\(name)"
            if Self.isExecutable(candidate) { return Files.absolute(candidate) }
        }
        return nil
    }

    /// A regular file we may execute.
    public static func isExecutable(_ path: String) -> Bool {
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return false }
        return access(path, X_OK) == 0
    }
}

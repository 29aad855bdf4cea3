#if canImport(Glibc)
import Glibc
#endif
import Diagnostics

/// An OCI platform: which OS and CPU an image is built for.
public struct Platform: Codable, Hashable, Sendable, CustomStringConvertible {
    public var architecture: String
    public var os: String
    public var variant: String?
    public var osVersion: String?

    enum CodingKeys: String, CodingKey {
        case architecture, os, variant
        case osVersion = "os.version"
    }

    public init(os: String, architecture: String, variant: String? = nil) {
        self.os = os
        self.architecture = architecture
        self.variant = variant
    }

    /// `os/arch[/variant]`, as `--platform` takes it.
    public var description: String { [os, architecture, variant].compactMap { $0 }.joined(separator: "/") }

    /// Parses `--platform`: `linux/amd64`, `linux/arm64/v8`, or just `arm64` (linux implied).
    public init(parsing text: String) throws {
        let parts = text.lowercased().split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard !parts.isEmpty, parts.count <= 3, !parts.contains(where: \.isEmpty) else {
            throw BerthError.invalid("invalid platform \(text.debugDescription): want os/arch[/variant]")
        }
        if parts.count == 1 {
            self.init(os: "linux", architecture: Self.normalizeArchitecture(parts[0]).arch)
        } else {
            let (arch, variant) = Self.normalizeArchitecture(parts[1])
            self.init(os: parts[0], architecture: arch, variant: parts.count == 3 ? parts[2] : variant)
        }
    }

    /// The platform of this machine, in OCI's (Go's) names.
    public static var host: Platform {
        var name = utsname()
        uname(&name)
        let machine = withUnsafeBytes(of: &name.machine) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        let (arch, variant) = normalizeArchitecture(machine)
        return Platform(os: "linux", architecture: arch, variant: variant)
    }

    /// Kernel and Go architecture names to OCI's, with arm's default variants.
    static func normalizeArchitecture(_ name: String) -> (arch: String, variant: String?) {
        switch name {
        case "x86_64", "x86-64", "amd64": ("amd64", nil)
        case "aarch64", "arm64": ("arm64", nil)
        case "armv7l", "armhf", "armv7": ("arm", "v7")
        case "armv6l", "armel": ("arm", "v6")
        case "i386", "i486", "i586", "i686", "386": ("386", nil)
        case "ppc64le": ("ppc64le", nil)
        case "s390x": ("s390x", nil)
        case "riscv64": ("riscv64", nil)
        default: (name, nil)
        }
    }

    /// Whether an index entry's platform satisfies this (wanted) platform. An unset wanted variant
    /// accepts any; arm64's "v8" is its default and matches an entry without a variant.
    public func accepts(_ candidate: Platform) -> Bool {
        guard candidate.os == os, candidate.architecture == architecture else { return false }
        guard let wanted = variant else { return true }
        let have = candidate.variant ?? (architecture == "arm64" ? "v8" : nil)
        return have == wanted
    }
}

import Diagnostics

/// A docker image reference, normalised as docker does: `busybox` is
/// `docker.io/library/busybox:latest`, `localhost:5000/app@sha256:…` keeps its registry.
public struct ImageReference: Hashable, Sendable, CustomStringConvertible {
    /// The registry: `docker.io`, `quay.io`, `127.0.0.1:5000`.
    public var domain: String
    /// The repository path within the registry: `library/busybox`.
    public var path: String
    public var tag: String?
    public var digest: Digest?

    public static let defaultDomain = "docker.io"
    public static let defaultTag = "latest"

    /// Parses and normalises `text`. With `defaultTag`, a reference with neither tag nor digest
    /// gets `:latest` (what pull and run do); without it, it stays bare.
    public init(parsing text: String, defaultTag: Bool = true) throws {
        func invalid(_ why: String) -> BerthError {
            BerthError.invalid("invalid reference format: \(why) in \(text.debugDescription)")
        }
        guard !text.isEmpty else { throw BerthError.invalid("invalid reference format: empty reference") }
        var rest = Substring(text)
        if let at = rest.lastIndex(of: "@") {
            digest = try Digest(parsing: String(rest[rest.index(after: at)...]))
            rest = rest[..<at]
        }
        if let colon = rest.lastIndex(of: ":"), !rest[colon...].contains("/") {
            let candidate = rest[rest.index(after: colon)...]
            guard Self.isTag(candidate) else { throw invalid("bad tag \(String(candidate).debugDescription)") }
            tag = String(candidate)
            rest = rest[..<colon]
        }
        guard !rest.isEmpty else { throw invalid("missing repository name") }
        guard rest.utf8.count <= 255 else { throw invalid("repository name longer than 255 characters") }
        let slash = rest.firstIndex(of: "/")
        if let slash, Self.looksLikeDomain(rest[..<slash]) {
            domain = String(rest[..<slash])
            path = String(rest[rest.index(after: slash)...])
        } else {
            domain = Self.defaultDomain
            path = String(rest)
        }
        if domain == "index.docker.io" || domain == "registry-1.docker.io" { domain = Self.defaultDomain }
        if domain == Self.defaultDomain, !path.contains("/") { path = "library/" + path }
        guard Self.isDomain(domain) else { throw invalid("bad registry host \(domain.debugDescription)") }
        if path.contains(where: \.isUppercase) {
            throw BerthError.invalid("invalid reference format: repository name (\(path)) must be lowercase")
        }
        guard path.split(separator: "/", omittingEmptySubsequences: false).allSatisfy(Self.isPathComponent) else {
            throw invalid("bad repository name \(path.debugDescription)")
        }
        if defaultTag, tag == nil, digest == nil { tag = Self.defaultTag }
    }

    public init(domain: String, path: String, tag: String? = nil, digest: Digest? = nil) {
        self.domain = domain
        self.path = path
        self.tag = tag
        self.digest = digest
    }

    /// `docker.io/library/busybox`.
    public var repository: String { "\(domain)/\(path)" }

    /// The full normalised reference: `docker.io/library/busybox:latest`, `…@sha256:…`.
    public var string: String {
        var text = repository
        if let tag { text += ":\(tag)" }
        if let digest { text += "@\(digest.string)" }
        return text
    }

    public var description: String { string }

    /// The repository as docker prints it: `busybox`, `quay.io/x/y`, `127.0.0.1:5000/app`.
    public var familiarRepository: String {
        guard domain == Self.defaultDomain else { return repository }
        return path.hasPrefix("library/") && path.split(separator: "/").count == 2 ? String(path.dropFirst(8)) : path
    }

    /// The reference as docker prints it: `busybox:latest`.
    public var familiar: String {
        var text = familiarRepository
        if let tag { text += ":\(tag)" }
        if let digest { text += "@\(digest.string)" }
        return text
    }

    /// What goes after `/manifests/` in a registry request: the digest when there is one, else the tag.
    public var tagOrDigest: String { digest?.string ?? tag ?? Self.defaultTag }

    /// The host[:port] to contact: Docker Hub's API lives at registry-1.docker.io.
    public var registryHost: String { domain == Self.defaultDomain ? "registry-1.docker.io" : domain }

    /// True for a registry on the loopback interface (plain HTTP is allowed there, as docker does).
    public var isLoopback: Bool { Self.isLoopbackHost(domain) }

    public func withTag(_ tag: String?) -> ImageReference { ImageReference(domain: domain, path: path, tag: tag, digest: nil) }
    public func withDigest(_ digest: Digest?) -> ImageReference { ImageReference(domain: domain, path: path, tag: nil, digest: digest) }
    public var withoutTagOrDigest: ImageReference { ImageReference(domain: domain, path: path) }

    /// `host`, `host:port`, `[::1]:port` minus the port is 127.0.0.0/8, `localhost` or `::1`.
    public static func isLoopbackHost(_ hostPort: String) -> Bool {
        var host = Substring(hostPort)
        if host.hasPrefix("["), let close = host.firstIndex(of: "]") {
            host = host[host.index(after: host.startIndex)..<close]
        } else if let colon = host.lastIndex(of: ":") {
            host = host[..<colon]
        }
        return host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }

    // MARK: - Grammar (distribution/reference)

    private static func looksLikeDomain(_ first: Substring) -> Bool {
        first.contains(".") || first.contains(":") || first == "localhost" || first.contains(where: \.isUppercase)
    }

    private static func isDomain(_ domain: String) -> Bool {
        var host = Substring(domain)
        if host.hasPrefix("["), let close = host.firstIndex(of: "]") {
            let after = host[host.index(after: close)...]
            return after.isEmpty || (after.hasPrefix(":") && after.dropFirst().allSatisfy(\.isNumber) && after.count > 1)
        }
        if let colon = host.lastIndex(of: ":") {
            let port = host[host.index(after: colon)...]
            guard !port.isEmpty, port.allSatisfy(\.isNumber) else { return false }
            host = host[..<colon]
        }
        let labels = host.split(separator: ".", omittingEmptySubsequences: false)
        return labels.allSatisfy { label in
            !label.isEmpty && label.first != "-" && label.last != "-"
                && label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
        }
    }

    /// `[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*`
    private static func isPathComponent(_ component: Substring) -> Bool {
        guard let first = component.first, let last = component.last, isAlnum(first), isAlnum(last) else { return false }
        var previous: Character = first
        var underscores = 0
        for char in component {
            if isAlnum(char) {
                underscores = 0
            } else if char == "_" {
                underscores += 1
                if underscores > 2 || (previous == "." || previous == "-") { return false }
            } else if char == "." {
                if !isAlnum(previous) { return false }
            } else if char == "-" {
                if previous == "." || previous == "_" { return false }
            } else {
                return false
            }
            previous = char
        }
        return true
    }

    private static func isAlnum(_ char: Character) -> Bool {
        char.isASCII && (char.isLowercase || char.isNumber)
    }

    /// `[\w][\w.-]{0,127}`
    static func isTag(_ tag: Substring) -> Bool {
        guard let first = tag.first, tag.count <= 128, isWord(first) else { return false }
        return tag.allSatisfy { isWord($0) || $0 == "." || $0 == "-" }
    }

    private static func isWord(_ char: Character) -> Bool {
        char.isASCII && (char.isLetter || char.isNumber || char == "_")
    }
}

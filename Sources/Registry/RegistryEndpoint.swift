import Foundation
import ImageSpec

/// Where a registry's API lives: its host[:port] and the schemes to try, in order.
///
/// HTTPS by default. Loopback registries and the hosts listed in `BERTH_INSECURE_REGISTRIES`
/// (comma-separated host[:port], as docker's `insecure-registries`) are tried over plain HTTP
/// first, then HTTPS, as docker does for them.
public struct RegistryEndpoint: Sendable, Equatable {
    /// host[:port] to contact: `registry-1.docker.io`, `127.0.0.1:5000`.
    public var host: String
    /// `["https"]`, or `["http", "https"]` for an insecure registry.
    public var schemes: [String]

    public init(host: String, schemes: [String]) {
        self.host = host
        self.schemes = schemes
    }

    /// The endpoint of `reference`'s registry.
    /// - Parameter environment: where `BERTH_INSECURE_REGISTRIES` is read from.
    public init(reference: ImageReference, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.init(registry: reference.domain, environment: environment)
    }

    /// The endpoint of a registry named as a user types it (`docker.io`, `localhost:5000`).
    public init(registry: String, environment: [String: String] = ProcessInfo.processInfo.environment) {
        let domain = Self.normalizedDomain(registry)
        let host = domain == ImageReference.defaultDomain ? "registry-1.docker.io" : domain
        let insecure = Self.insecureRegistries(environment)
        let plain = ImageReference.isLoopbackHost(host) || insecure.contains(domain) || insecure.contains(host)
        self.init(host: host, schemes: plain ? ["http", "https"] : ["https"])
    }

    /// `BERTH_INSECURE_REGISTRIES`, split on commas, each lower-cased without a scheme or slash.
    public static func insecureRegistries(_ environment: [String: String]) -> Set<String> {
        guard let value = environment["BERTH_INSECURE_REGISTRIES"] else { return [] }
        return Set(value.split(separator: ",").map { normalizedDomain(String($0)) }.filter { !$0.isEmpty })
    }

    /// `https://Index.Docker.io/v1/` → `docker.io`; `http://reg:5000/` → `reg:5000`.
    public static func normalizedDomain(_ server: String) -> String {
        var text = Substring(server.trimmingCharacters(in: .whitespaces).lowercased())
        for prefix in ["https://", "http://"] where text.hasPrefix(prefix) { text = text.dropFirst(prefix.count) }
        if let slash = text.firstIndex(of: "/") { text = text[..<slash] }
        let domain = String(text)
        return ["index.docker.io", "registry-1.docker.io", "registry.hub.docker.com"].contains(domain)
            ? ImageReference.defaultDomain : domain
    }

    /// `scheme://host/v2/` + `path`.
    public func url(scheme: String, path: String) -> URL {
        // Repository names and digests hold only URL-safe characters (the reference grammar).
        URL(string: "\(scheme)://\(host)/v2/\(path)")!
    }
}

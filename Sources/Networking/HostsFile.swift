/// A container's /etc/hosts on bridge networks: docker's loopback lines, the container's own
/// addresses with its hostname and aliases, one line per peer on its networks, and `--add-host`.
public enum HostsFile {
    /// A name → address line (`IP\tname alias…`).
    public struct Entry: Sendable, Equatable {
        public var ip: String
        public var names: [String]

        public init(ip: String, names: [String]) {
            self.ip = ip
            self.names = names
        }
    }

    /// Renders the file.
    /// - Parameters:
    ///   - hostname: the container's hostname; it gets 127.0.1.1 only when it has no address.
    ///   - ownAddresses: the container's address on each network with its names (hostname first).
    ///   - peers: the other containers on its networks, one entry per address.
    ///   - extraHosts: `--add-host name:ip`, as (name, ip), in the order given.
    public static func render(hostname: String, ownAddresses: [Entry], peers: [Entry],
                              extraHosts: [(name: String, ip: String)] = []) -> String {
        var lines = [
            "127.0.0.1\tlocalhost",
            "::1\tlocalhost ip6-localhost ip6-loopback",
            "fe00::0\tip6-localnet",
            "ff00::0\tip6-mcastprefix",
            "ff02::1\tip6-allnodes",
            "ff02::2\tip6-allrouters",
        ]
        // Docker puts --add-host lines right after the defaults, before the container's own.
        for host in extraHosts { lines.append("\(host.ip)\t\(host.name)") }
        if ownAddresses.isEmpty {
            lines.append("127.0.1.1\t\(hostname)")
        }
        var seen: Set<String> = []
        for entry in ownAddresses + peers {
            var names: [String] = []
            for name in entry.names where !name.isEmpty && !names.contains(name) { names.append(name) }
            guard !names.isEmpty else { continue }
            let line = "\(entry.ip)\t\(names.joined(separator: " "))"
            if seen.insert(line).inserted { lines.append(line) }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Parses `--add-host name:ip` (also `name=ip`); IPv6 addresses are kept as written.
    /// - Returns: nil when malformed.
    public static func parseExtraHost(_ text: String) -> (name: String, ip: String)? {
        guard let separator = text.firstIndex(where: { $0 == "=" || $0 == ":" }) else { return nil }
        let name = String(text[..<separator])
        var ip = String(text[text.index(after: separator)...])
        if ip.hasPrefix("["), ip.hasSuffix("]") { ip = String(ip.dropFirst().dropLast()) }
        guard !name.isEmpty, !ip.isEmpty else { return nil }
        return (name, ip)
    }
}

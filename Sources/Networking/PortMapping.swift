import Diagnostics

/// One published port (`-p`): what the portmap plugin gets as a `portMappings` entry.
public struct PortMapping: Codable, Sendable, Equatable, CustomStringConvertible {
    /// "" = every host address.
    public var hostIP: String
    /// 0 = pick a free port (`assigningFreePorts`).
    public var hostPort: UInt16
    public var containerPort: UInt16
    /// "tcp" or "udp".
    public var proto: String

    public init(hostIP: String = "", hostPort: UInt16, containerPort: UInt16, proto: String = "tcp") {
        self.hostIP = hostIP
        self.hostPort = hostPort
        self.containerPort = containerPort
        self.proto = proto
    }

    /// `docker port`'s form: "80/tcp -> 0.0.0.0:8080".
    public var description: String {
        "\(containerPort)/\(proto) -> \(hostIP.isEmpty ? "0.0.0.0" : hostIP):\(hostPort)"
    }

    /// Parses one `-p` value, docker's forms: `80`, `8080:80`, `127.0.0.1:8080:80`, `127.0.0.1::80`,
    /// `8080:80/udp`, and ranges `8000-8002:80-82` (one mapping per port). IPv6 host addresses are refused.
    /// - Throws: `.invalidArgument` with docker's messages.
    public static func parse(_ spec: String) throws -> [PortMapping] {
        var rest = Substring(spec)
        var proto = "tcp"
        if let slash = rest.lastIndex(of: "/") {
            proto = String(rest[rest.index(after: slash)...]).lowercased()
            rest = rest[..<slash]
            guard proto == "tcp" || proto == "udp" else {
                if proto == "sctp" { throw BerthError.invalid("invalid proto: sctp is not supported") }
                throw BerthError.invalid("invalid proto: \(proto)")
            }
        }
        if rest.hasPrefix("[") { throw BerthError.invalid("invalid ip address \(spec): IPv6 is not supported") }
        let parts = rest.split(separator: ":", omittingEmptySubsequences: false)
        let hostIP: Substring, hostPart: Substring, containerPart: Substring
        switch parts.count {
        case 1: (hostIP, hostPart, containerPart) = ("", "", parts[0])
        case 2: (hostIP, hostPart, containerPart) = ("", parts[0], parts[1])
        case 3: (hostIP, hostPart, containerPart) = (parts[0], parts[1], parts[2])
        default: throw BerthError.invalid("invalid port format for --publish: \(spec)")
        }
        if !hostIP.isEmpty, IPv4Address(hostIP) == nil {
            throw BerthError.invalid("invalid ip address: \(hostIP)")
        }
        guard !containerPart.isEmpty else { throw BerthError.invalid("no port specified: \(spec)<empty>") }
        guard let containerRange = parseRange(containerPart) else {
            if containerPart.contains("-") { throw BerthError.invalid("invalid range format for --publish: \(containerPart)") }
            throw BerthError.invalid("invalid containerPort: \(containerPart)")
        }
        var hostRange: ClosedRange<UInt16>?
        if !hostPart.isEmpty && hostPart != "0" {  // "0", like nothing: a free port (docker)
            guard let parsed = parseRange(hostPart) else {
                if hostPart.contains("-") { throw BerthError.invalid("invalid range format for --publish: \(hostPart)") }
                throw BerthError.invalid("invalid hostPort: \(hostPart)")
            }
            hostRange = parsed
        }
        if let hostRange, hostRange.count != containerRange.count {
            // Docker lets a host range serve a single container port (one port picked from it);
            // the portmap plugin cannot pick, so only equal sizes are accepted.
            throw BerthError.invalid("invalid ranges specified for container and host Ports: \(containerPart) and \(hostPart)")
        }
        return containerRange.enumerated().map { offset, port in
            PortMapping(hostIP: String(hostIP), hostPort: hostRange.map { $0.lowerBound + UInt16(offset) } ?? 0,
                        containerPort: port, proto: proto)
        }
    }

    /// "80" or "8000-8002"; nil when malformed, 0, above 65535, or reversed.
    static func parseRange(_ text: Substring) -> ClosedRange<UInt16>? {
        let ends = text.split(separator: "-", omittingEmptySubsequences: false)
        guard (1...2).contains(ends.count) else { return nil }
        var values: [UInt16] = []
        for end in ends {
            guard !end.isEmpty, end.allSatisfy({ $0.isASCII && $0.isNumber }), let value = UInt16(end), value > 0 else { return nil }
            values.append(value)
        }
        guard let low = values.first, let high = values.last, low <= high else { return nil }
        return low...high
    }

    /// Parses several `-p` values.
    /// - Throws: the first error.
    public static func parse(_ specs: [String]) throws -> [PortMapping] {
        try specs.flatMap { try parse($0) }
    }
}

import Diagnostics
import LinuxSyscalls

/// The address ranges the host already uses, which a new network's subnet must not overlap:
/// every route but the default one and every local address. A seam, so that pool choice can be
/// tested against a made-up host.
public struct HostNetworks: Sendable {
    public let occupied: @Sendable () throws -> [IPv4Subnet]

    public init(_ occupied: @escaping @Sendable () throws -> [IPv4Subnet]) { self.occupied = occupied }

    /// A host with exactly these ranges.
    public static func fixed(_ subnets: [IPv4Subnet]) -> HostNetworks { HostNetworks { subnets } }

    /// The real host: /proc/net/route and the local addresses of /proc/net/fib_trie.
    public static let system = HostNetworks {
        let routes = parseRouteTable(try Files.readString("/proc/net/route"))
        let locals = (try? Files.readString("/proc/net/fib_trie")).map(parseLocalAddresses) ?? []
        return routes + locals.map { IPv4Subnet($0, prefixLength: 32) }
    }

    /// The destinations of /proc/net/route, without default routes (mask 0). The kernel prints
    /// each address as the native-endian number of its network-order bytes.
    public static func parseRouteTable(_ text: String) -> [IPv4Subnet] {
        var subnets: [IPv4Subnet] = []
        for line in text.split(separator: "\n").dropFirst() {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard fields.count >= 8, let destination = UInt32(fields[1], radix: 16),
                  let mask = UInt32(fields[7], radix: 16) else { continue }
            let hostMask = UInt32(bigEndian: mask)
            let length = hostMask.nonzeroBitCount
            guard length > 0 else { continue }
            let address = UInt32(bigEndian: destination)
            subnets.append(IPv4Subnet(IPv4Address(address), prefixLength: length))
        }
        return subnets
    }

    /// The addresses /proc/net/fib_trie marks "/32 host LOCAL" (the host's own addresses).
    public static func parseLocalAddresses(_ text: String) -> [IPv4Address] {
        var result: Set<IPv4Address> = []
        var previous: IPv4Address?
        for line in text.split(separator: "\n") {
            let trimmed = line.drop(while: { $0 == " " || $0 == "|" || $0 == "+" || $0 == "-" || $0 == "`" })
            let words = trimmed.split(separator: " ")
            if words.count == 1, let address = IPv4Address(words[0]) {
                previous = address
            } else if trimmed.hasPrefix("/32 host LOCAL"), let address = previous {
                result.insert(address)
            }
        }
        return result.sorted()
    }
}

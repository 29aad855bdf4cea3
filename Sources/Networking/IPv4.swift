import Diagnostics

/// An IPv4 address as a 32-bit number in host order (10.0.0.1 = 0x0A000001).
public struct IPv4Address: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var value: UInt32

    public init(_ value: UInt32) { self.value = value }

    /// Dotted quad only ("10.97.1.2"); nil for anything else.
    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var value: UInt32 = 0
        for part in parts {
            guard (1...3).contains(part.count), part.allSatisfy({ $0.isASCII && $0.isNumber }), let byte = UInt8(part) else { return nil }
            value = value << 8 | UInt32(byte)
        }
        self.value = value
    }

    public var description: String {
        "\(value >> 24).\(value >> 16 & 0xff).\(value >> 8 & 0xff).\(value & 0xff)"
    }

    public static func < (lhs: IPv4Address, rhs: IPv4Address) -> Bool { lhs.value < rhs.value }
}

/// An IPv4 network in CIDR form ("10.97.1.0/24"); the address is always the network's first.
public struct IPv4Subnet: Sendable, Hashable, CustomStringConvertible {
    public var address: IPv4Address
    public var prefixLength: Int

    /// Masks `address` down to the network (10.97.1.7/24 → 10.97.1.0/24).
    public init(_ address: IPv4Address, prefixLength: Int) {
        precondition((0...32).contains(prefixLength), "prefix length \(prefixLength) out of range")
        self.prefixLength = prefixLength
        self.address = IPv4Address(address.value & Self.mask(prefixLength))
    }

    /// "a.b.c.d/n"; a bare address is a /32. nil when malformed.
    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2, let address = IPv4Address(parts[0]) else { return nil }
        var length = 32
        if parts.count == 2 {
            guard (1...2).contains(parts[1].count), let parsed = Int(parts[1]), (0...32).contains(parsed) else { return nil }
            length = parsed
        }
        self.init(address, prefixLength: length)
    }

    /// Like `init?(_:)`, with docker's error for a bad `--subnet`.
    /// - Throws: `.invalidArgument` "invalid subnet X".
    public static func parse(_ text: String) throws -> IPv4Subnet {
        guard let subnet = IPv4Subnet(text) else { throw BerthError.invalid("invalid subnet \(text): invalid CIDR address") }
        return subnet
    }

    static func mask(_ length: Int) -> UInt32 { length == 0 ? 0 : UInt32.max << UInt32(32 - length) }

    public var mask: UInt32 { Self.mask(prefixLength) }
    public var first: IPv4Address { address }
    public var last: IPv4Address { IPv4Address(address.value | ~mask) }
    /// The first usable host: the gateway docker picks (10.97.1.1 for 10.97.1.0/24).
    public var firstHost: IPv4Address { IPv4Address(prefixLength >= 31 ? address.value : address.value + 1) }

    public func contains(_ ip: IPv4Address) -> Bool { ip.value & mask == address.value }

    /// Whether the two ranges share an address (one contains the other's network address).
    public func overlaps(_ other: IPv4Subnet) -> Bool { contains(other.address) || other.contains(address) }

    public var description: String { "\(address)/\(prefixLength)" }
}

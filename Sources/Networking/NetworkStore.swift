import Diagnostics
import LinuxSyscalls
import LiteJSON

#if canImport(Glibc)
import Glibc
#endif

/// The engine's networks on disk: `<root>/networks/<id>.json`, one file per network, written
/// with a temporary file and a rename. Create and remove run under one flock
/// (`networks/.lock`), which makes names unique and keeps two creates from taking one subnet.
public struct NetworkStore: Sendable {
    public let directory: String
    let hostNetworks: HostNetworks
    /// The pool subnets are carved from when none is given (docker's 172.17.0.0/16 + …, ours is one /16).
    public static let pool = IPv4Subnet(IPv4Address(0x0A61_0000), prefixLength: 16)  // 10.97.0.0/16
    /// The size of the subnets carved from the pool.
    public static let poolPrefixLength = 24

    /// - Parameters:
    ///   - root: the engine's state directory; networks live in `<root>/networks`.
    ///   - hostNetworks: the host's routes and addresses a subnet must avoid.
    /// - Throws: when the directory cannot be made.
    public init(root: String, hostNetworks: HostNetworks = .system) throws {
        directory = "\(root)/networks"
        self.hostNetworks = hostNetworks
        try Files.makeDirectories(directory, mode: 0o700)
    }

    var lockPath: String { "\(directory)/.lock" }
    func path(_ id: String) -> String { "\(directory)/\(id).json" }

    func withLock<T>(_ body: () throws -> T) throws -> T {
        let lock = try FileLock.exclusive(lockPath)
        defer { lock.unlock() }
        return try body()
    }

    // MARK: - Create

    /// Creates a bridge network.
    /// - Parameters:
    ///   - name: docker's rules, `[a-zA-Z0-9][a-zA-Z0-9_.-]*`, unique.
    ///   - subnet: CIDR; nil = the first free /24 of 10.97.0.0/16.
    ///   - gateway: nil = the subnet's first host.
    ///   - internal: no egress.
    /// - Throws: `.invalidArgument` for a bad name, subnet or gateway and for an overlapping subnet,
    ///   `.alreadyExists` when the name is taken.
    public func create(name: String, subnet: String? = nil, gateway: String? = nil, internal: Bool = false,
                       labels: [String: String] = [:]) throws -> NetworkDefinition {
        try Self.validateName(name)
        return try withLock { try createLocked(name: name, subnet: subnet, gateway: gateway, internal: `internal`, labels: labels, bridge: nil) }
    }

    /// The default network "bridge" (its Linux bridge "br-" + its id, as every network's: two
    /// state roots on one host each have their own), created on first use.
    /// - Throws: when it has to be made and cannot be.
    public func ensureDefault() throws -> NetworkDefinition {
        if let existing = try list().first(where: { $0.name == NetworkDefinition.defaultName }) { return existing }
        return try withLock {
            if let existing = try list().first(where: { $0.name == NetworkDefinition.defaultName }) { return existing }
            return try createLocked(name: NetworkDefinition.defaultName, subnet: nil, gateway: nil, internal: false,
                                    labels: [:], bridge: nil)
        }
    }

    private func createLocked(name: String, subnet requested: String?, gateway requestedGateway: String?, internal: Bool,
                              labels: [String: String], bridge: String?) throws -> NetworkDefinition {
        let existing = try list()
        if existing.contains(where: { $0.name == name }) {
            throw BerthError(.alreadyExists, "network with name \(name) already exists")
        }
        let taken = existing.compactMap(\.ipv4Subnet)
        let subnet: IPv4Subnet
        if let requested {
            subnet = try IPv4Subnet.parse(requested)
            guard subnet.prefixLength <= 30 else { throw BerthError.invalid("invalid subnet \(requested): too small for a bridge network") }
            let host = try hostNetworks.occupied()
            if (taken + host).contains(where: { $0.overlaps(subnet) }) {
                throw BerthError.invalid("invalid pool request: pool overlaps with other one on this address space")
            }
        } else {
            subnet = try Self.firstFree(in: Self.pool, prefixLength: Self.poolPrefixLength, avoiding: taken + (try hostNetworks.occupied()))
        }
        let gateway: IPv4Address
        if let requestedGateway {
            guard let parsed = IPv4Address(requestedGateway), subnet.contains(parsed) else {
                throw BerthError.invalid("no matching subnet for gateway \(requestedGateway)")
            }
            gateway = parsed
        } else {
            gateway = subnet.firstHost
        }
        var id = try Self.randomID()
        while existing.contains(where: { $0.id == id }) { id = try Self.randomID() }
        let definition = NetworkDefinition(
            name: name, id: id, subnet: subnet.description, gateway: gateway.description,
            bridge: bridge ?? "br-" + id.prefix(12), internal: `internal`, labels: labels, created: Timestamp.now().rfc3339())
        try write(definition)
        return definition
    }

    /// The first `/prefixLength` of `pool` that overlaps none of `taken`.
    /// - Throws: `.invalidArgument` with docker's message when the pool is used up.
    public static func firstFree(in pool: IPv4Subnet, prefixLength: Int, avoiding taken: [IPv4Subnet]) throws -> IPv4Subnet {
        let step = UInt64(1) << UInt64(32 - prefixLength)
        var candidate = UInt64(pool.address.value)
        while candidate <= UInt64(pool.last.value) {
            let subnet = IPv4Subnet(IPv4Address(UInt32(candidate)), prefixLength: prefixLength)
            if !taken.contains(where: { $0.overlaps(subnet) }) { return subnet }
            candidate += step
        }
        throw BerthError.invalid("could not find an available, non-overlapping IPv4 address pool among the defaults to assign to the network")
    }

    /// Docker's rule for network names.
    /// - Throws: `.invalidArgument`.
    public static func validateName(_ name: String) throws {
        func allowed(_ c: UInt8, first: Bool) -> Bool {
            switch c {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): true
            case UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "-"): !first
            default: false
            }
        }
        let bytes = Array(name.utf8)
        guard !bytes.isEmpty, bytes.enumerated().allSatisfy({ allowed($1, first: $0 == 0) }) else {
            throw BerthError.invalid("invalid network name \"\(name)\": only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed")
        }
    }

    static func randomID() throws -> String {
        let random = try FileDescriptor.open("/dev/urandom", O_RDONLY | O_CLOEXEC)
        defer { random.close() }
        var bytes = [UInt8](repeating: 0, count: 32)
        let n = try syscall("read", path: "/dev/urandom") { read(random.rawValue, &bytes, bytes.count) }
        guard n == bytes.count else { throw BerthError(.system, "read /dev/urandom: short read") }
        let digits = Array("0123456789abcdef".utf8)
        return String(decoding: bytes.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0xf)]] }, as: UTF8.self)
    }

    func write(_ definition: NetworkDefinition) throws {
        let bytes = try BerthError.wrap("encode network \(definition.name)") { try LiteJSONEncoder(pretty: true).encode(definition) }
        try Files.writeAtomically(path(definition.id), bytes, mode: 0o600)
    }

    // MARK: - Read

    /// Every network, by creation time then name.
    public func list() throws -> [NetworkDefinition] {
        var result: [NetworkDefinition] = []
        for file in try Files.list(directory) where file.hasSuffix(".json") {
            let bytes: [UInt8]
            do { bytes = try Files.read("\(directory)/\(file)") } catch let error as BerthError where error.errno == ENOENT { continue }
            let definition = try BerthError.wrap("read network \(directory)/\(file)") {
                try LiteJSONDecoder().decode(NetworkDefinition.self, from: bytes)
            }
            result.append(definition)
        }
        return result.sorted { ($0.created, $0.name) < ($1.created, $1.name) }
    }

    /// A network by exact name, exact id, or unique id prefix (docker's order).
    /// - Throws: `.notFound` "network X not found", `.invalidArgument` when a prefix is ambiguous.
    public func inspect(_ nameOrIdOrPrefix: String) throws -> NetworkDefinition {
        let all = try list()
        if let match = all.first(where: { $0.name == nameOrIdOrPrefix || $0.id == nameOrIdOrPrefix }) { return match }
        let matches = nameOrIdOrPrefix.isEmpty ? [] : all.filter { $0.id.hasPrefix(nameOrIdOrPrefix) }
        if matches.count > 1 {
            throw BerthError.invalid("network \(nameOrIdOrPrefix) is ambiguous (\(matches.count) matches found based on ID)")
        }
        guard let match = matches.first else { throw BerthError(.notFound, "network \(nameOrIdOrPrefix) not found") }
        return match
    }

    // MARK: - Remove

    /// Removes the default network's definition: for a reset of the whole state root.
    public func removeDefault() throws {
        try withLock {
            if let network = try list().first(where: { $0.name == NetworkDefinition.defaultName }) {
                try Files.removeFile(path(network.id))
            }
        }
    }

    /// Deletes a network's record (the engine first checks no container uses it and removes its bridge).
    /// - Returns: the removed network.
    /// - Throws: `.notFound`, `.invalidArgument` for the default network.
    @discardableResult
    public func remove(_ nameOrIdOrPrefix: String) throws -> NetworkDefinition {
        try withLock {
            let definition = try inspect(nameOrIdOrPrefix)
            if definition.name == NetworkDefinition.defaultName {
                throw BerthError.invalid("\(definition.name) is a pre-defined network and cannot be removed")
            }
            try Files.removeFile(path(definition.id))
            return definition
        }
    }
}

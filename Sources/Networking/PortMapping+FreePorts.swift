import Diagnostics
import LinuxSyscalls

#if canImport(Glibc)
import Glibc
#endif

extension PortMapping {
    /// The same mappings with every `hostPort` 0 replaced by a port the kernel calls free: a socket
    /// of the mapping's protocol is bound to port 0 on its host address. All the sockets stay open
    /// until every port is picked, so two mappings never get one port.
    /// - Throws: `.system` when a socket cannot be bound.
    public static func assigningFreePorts(_ mappings: [PortMapping]) throws -> [PortMapping] {
        var sockets: [FileDescriptor] = []
        defer { for socket in sockets { socket.close() } }
        var result = mappings
        for index in result.indices where result[index].hostPort == 0 {
            let (socket, port) = try bindEphemeral(hostIP: result[index].hostIP, udp: result[index].proto == "udp")
            sockets.append(socket)
            result[index].hostPort = port
        }
        return result
    }

    static func bindEphemeral(hostIP: String, udp: Bool) throws -> (FileDescriptor, UInt16) {
        let type = Int32(udp ? SOCK_DGRAM.rawValue : SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        let socket = FileDescriptor(try syscall("socket") { Glibc.socket(AF_INET, type, 0) })
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = (IPv4Address(hostIP)?.value ?? 0).bigEndian
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        do {
            try withUnsafeMutablePointer(to: &address) { pointer in
                try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
                    _ = try syscall("bind", path: hostIP.isEmpty ? "0.0.0.0:0" : "\(hostIP):0") { bind(socket.rawValue, raw, length) }
                    _ = try syscall("getsockname") { getsockname(socket.rawValue, raw, &length) }
                }
            }
        } catch {
            socket.close()
            throw error
        }
        return (socket, UInt16(bigEndian: address.sin_port))
    }
}

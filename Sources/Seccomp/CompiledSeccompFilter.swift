import CBerthShim
import Diagnostics
import LinuxSyscalls

#if canImport(Glibc)
import Glibc
#endif

/// A seccomp filter as the kernel takes it: BPF instructions and the SECCOMP_FILTER_FLAG_* bits.
///
/// libseccomp needs ~15 ms to generate podman's default profile for three architectures. The
/// runtime compiles once (and caches), and the init only hands the bytes to seccomp(2), so the
/// container's own start-up pays microseconds.
public struct CompiledSeccompFilter: Equatable, Sendable {
    public var flags: UInt32
    /// `struct sock_filter` array, 8 bytes per instruction.
    public var instructions: [UInt8]

    public init(flags: UInt32, instructions: [UInt8]) {
        self.flags = flags
        self.instructions = instructions
    }

    /// The wire form: 4 bytes of flags (little endian), then the instructions.
    public var encoded: [UInt8] {
        withUnsafeBytes(of: flags.littleEndian) { Array($0) } + instructions
    }

    public init(encoded bytes: some Collection<UInt8>) throws {
        let bytes = Array(bytes)
        guard bytes.count >= 4, (bytes.count - 4) % 8 == 0, (bytes.count - 4) / 8 <= Int(UInt16.max) else {
            throw BerthError(.invalidArgument, "seccomp: malformed compiled filter of \(bytes.count) bytes")
        }
        flags = bytes[0..<4].reversed().reduce(0) { $0 << 8 | UInt32($1) }
        instructions = Array(bytes[4...])
    }

    /// SECCOMP_FILTER_FLAG_NEW_LISTENER: loading returns the notification descriptor.
    public static let newListenerFlag: UInt32 = 8

    /// The filter hands system calls to an agent: loading it yields a listener descriptor.
    public var hasListener: Bool { flags & Self.newListenerFlag != 0 }

    /// Loads the filter into the calling thread (seccomp(2), SECCOMP_SET_MODE_FILTER). Without
    /// no_new_privs the kernel requires CAP_SYS_ADMIN.
    /// - Returns: the notification listener when the filter has SCMP_ACT_NOTIFY rules.
    @discardableResult
    public func load() throws -> FileDescriptor? {
        let count = UInt16(instructions.count / 8)
        let result = try syscall("seccomp: load filter") {
            instructions.withUnsafeBytes { bt_seccomp_set_filter(flags, $0.baseAddress, count) }
        }
        return hasListener ? FileDescriptor(result) : nil
    }
}

extension PreparedSeccompFilter {
    /// The BPF libseccomp generates for this filter, with the kernel flags its attributes stand for.
    public func compile() throws -> CompiledSeccompFilter {
        let memfd = FileDescriptor(try syscall("memfd_create") { bt_memfd_create("berth-seccomp") })
        try exportBPF(to: memfd.rawValue)
        try syscall("lseek") { lseek(memfd.rawValue, 0, SEEK_SET) }
        var flags: UInt32 = 0
        for flag in program.flags {
            switch flag {
            case .tsync: flags |= 1  // SECCOMP_FILTER_FLAG_TSYNC
            case .log: flags |= 2  // SECCOMP_FILTER_FLAG_LOG
            case .specAllow: flags |= 4  // SECCOMP_FILTER_FLAG_SPEC_ALLOW
            }
        }
        if program.usesNotify { flags |= CompiledSeccompFilter.newListenerFlag }
        return CompiledSeccompFilter(flags: flags, instructions: try memfd.readAll())
    }
}

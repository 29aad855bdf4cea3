import LinuxSyscalls

/// A seqpacket pair for tests.
enum LocalSocketPair {
    static func make() throws -> (FileDescriptor, FileDescriptor) { try LocalSocket.seqpacketPair() }
}

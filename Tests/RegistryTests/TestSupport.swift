import Foundation
import LinuxSyscalls
#if canImport(Glibc)
import Glibc
#endif

/// File helpers for the tests.
enum LinuxSyscallsShim {
    static func open(_ path: String) throws -> FileDescriptor {
        try FileDescriptor.open(path, O_RDONLY)
    }

    static func temporaryFile(_ bytes: [UInt8], in directory: String) throws -> FileDescriptor {
        let path = "\(directory)/\(UUID().uuidString)"
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        return try open(path)
    }
}

import Diagnostics
import LinuxSyscalls
import Testing

#if canImport(Glibc)
import Glibc
#endif

@testable import RootFilesystem

@Suite struct MountOptionsTests {
    /// runc's table: option → (flag, whether it clears it).
    struct Case: Sendable, CustomStringConvertible {
        var option: String
        var flag: MountFlags
        var clears: Bool
        var description: String { option }
    }

    static let table: [Case] = [
        Case(option: "ro", flag: .readOnly, clears: false), Case(option: "rw", flag: .readOnly, clears: true),
        Case(option: "suid", flag: .noSetUID, clears: true), Case(option: "nosuid", flag: .noSetUID, clears: false),
        Case(option: "dev", flag: .noDevices, clears: true), Case(option: "nodev", flag: .noDevices, clears: false),
        Case(option: "exec", flag: .noExec, clears: true), Case(option: "noexec", flag: .noExec, clears: false),
        Case(option: "sync", flag: .synchronous, clears: false), Case(option: "async", flag: .synchronous, clears: true),
        Case(option: "dirsync", flag: .directorySync, clears: false), Case(option: "remount", flag: .remount, clears: false),
        Case(option: "mand", flag: .mandatoryLocking, clears: false), Case(option: "nomand", flag: .mandatoryLocking, clears: true),
        Case(option: "atime", flag: .noAccessTime, clears: true), Case(option: "noatime", flag: .noAccessTime, clears: false),
        Case(option: "diratime", flag: .noDirectoryAccessTime, clears: true), Case(option: "nodiratime", flag: .noDirectoryAccessTime, clears: false),
        Case(option: "bind", flag: .bind, clears: false), Case(option: "rbind", flag: [.bind, .recursive], clears: false),
        Case(option: "relatime", flag: .relativeAccessTime, clears: false), Case(option: "norelatime", flag: .relativeAccessTime, clears: true),
        Case(option: "strictatime", flag: .strictAccessTime, clears: false), Case(option: "nostrictatime", flag: .strictAccessTime, clears: true),
        Case(option: "lazytime", flag: .lazyTime, clears: false), Case(option: "nolazytime", flag: .lazyTime, clears: true),
        Case(option: "nosymfollow", flag: .noSymlinkFollow, clears: false),
        Case(option: "silent", flag: .silent, clears: false), Case(option: "loud", flag: .silent, clears: true),
    ]

    @Test(arguments: table)
    func flagOption(_ entry: Case) throws {
        let (option, flag, clears) = (entry.option, entry.flag, entry.clears)
        let parsed = try MountOptions(parsing: [option])
        #expect(parsed.data.isEmpty)
        #expect(parsed.propagation.isEmpty)
        if clears {
            #expect(parsed.flags.isEmpty)
            #expect(parsed.clearedFlags == flag)
        } else {
            #expect(parsed.flags == flag)
            #expect(parsed.clearedFlags.isEmpty)
        }
    }

    static let propagations: [(String, MountFlags)] = [
        ("private", .private), ("rprivate", [.private, .recursive]),
        ("shared", .shared), ("rshared", [.shared, .recursive]),
        ("slave", .slave), ("rslave", [.slave, .recursive]),
        ("unbindable", .unbindable), ("runbindable", [.unbindable, .recursive]),
    ]

    @Test(arguments: propagations)
    func propagationOption(_ option: String, _ flags: MountFlags) throws {
        let parsed = try MountOptions(parsing: ["bind", option])
        #expect(parsed.flags == .bind)
        #expect(parsed.propagation == [flags])
        #expect(try MountOptions.propagation(option) == flags)
    }

    @Test func laterOptionsWin() throws {
        let parsed = try MountOptions(parsing: ["ro", "nosuid", "rw", "suid", "nosuid"])
        #expect(parsed.flags == .noSetUID)
        #expect(parsed.clearedFlags == .readOnly)
    }

    @Test func dataKeepsOrder() throws {
        let parsed = try MountOptions(parsing: ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"])
        #expect(parsed.flags == [.noSetUID, .noExec])
        #expect(parsed.dataString == "newinstance,ptmxmode=0666,mode=0620,gid=5")
    }

    @Test func tmpcopyupIsNotMountData() throws {
        let parsed = try MountOptions(parsing: ["nosuid", "tmpcopyup", "size=1m"])
        #expect(parsed.copyUp)
        #expect(parsed.dataString == "size=1m")
    }

    @Test(arguments: ["idmap", "idmap=uids=0-1000-10", "rro", "rnosuid"])
    func unsupported(_ option: String) {
        expectError("unsupported mount option") { _ = try MountOptions(parsing: [option]) }
    }

    @Test func unknownPropagation() {
        expectError("rootfsPropagation") { _ = try MountOptions.propagation("sideways") }
    }

    @Test func flagValuesMatchTheKernelHeaders() {
        // <sys/mount.h> as Swift's Glibc module imports it.
        let pairs: [(MountFlags, Int)] = [
            (.readOnly, Int(MS_RDONLY)), (.noSetUID, Int(MS_NOSUID)), (.noDevices, Int(MS_NODEV)), (.noExec, Int(MS_NOEXEC)),
            (.remount, Int(MS_REMOUNT)), (.bind, Int(MS_BIND)), (.move, Int(MS_MOVE)), (.recursive, Int(MS_REC)),
            (.private, Int(MS_PRIVATE)), (.slave, Int(MS_SLAVE)), (.shared, Int(MS_SHARED)),
            (.unbindable, Int(MS_UNBINDABLE)), (.relativeAccessTime, Int(MS_RELATIME)),
            (.strictAccessTime, Int(MS_STRICTATIME)), (.lazyTime, Int(MS_LAZYTIME)), (.noAccessTime, Int(MS_NOATIME)),
        ]
        for (flag, value) in pairs {
            #expect(flag.rawValue == UInt(value), "\(flag)")
        }
    }

    @Test func statvfsFlagsMapToMountFlags() {
        // ST_RDONLY|ST_NOSUID|ST_NODEV|ST_NOEXEC|ST_RELATIME
        #expect(Mounts.flags(fromStatvfs: 1 | 2 | 4 | 8 | 4096) == [.readOnly, .noSetUID, .noDevices, .noExec, .relativeAccessTime])
        #expect(Mounts.flags(fromStatvfs: 1024 | 2048) == [.noAccessTime, .noDirectoryAccessTime])
        #expect(Mounts.flags(fromStatvfs: 0) == .strictAccessTime)
    }

    @Test func remountCarriesLockedFlags() {
        let current: MountFlags = [.readOnly, .noSetUID, .noDevices, .relativeAccessTime]
        let flags = MountOperation.remountFlags([.bind, .remount, .noExec], cleared: [], current: current)
        #expect(flags == [.bind, .remount, .noExec, .readOnly, .noSetUID, .noDevices, .relativeAccessTime])
        // Explicitly cleared flags and explicitly chosen atime flags are not carried.
        let chosen = MountOperation.remountFlags([.bind, .remount, .noAccessTime], cleared: [.readOnly], current: current)
        #expect(chosen == [.bind, .remount, .noAccessTime, .noSetUID, .noDevices])
    }
}

/// Expects `body` to throw a `BerthError` whose message contains `text`.
func expectError(_ text: String, sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void) {
    let error = #expect(throws: BerthError.self, sourceLocation: sourceLocation) { try body() }
    #expect(error?.message.contains(text) == true, "\(error?.message ?? "no error")", sourceLocation: sourceLocation)
}

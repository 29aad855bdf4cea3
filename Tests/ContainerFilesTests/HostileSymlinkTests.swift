import ContainerFiles
import Diagnostics
import LayerArchive
import LinuxSyscalls
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Symlinks a container controls must never lead a read or a write out of its rootfs: each
/// test points links at the canary directory (absolute, relative with "..", and through
/// /proc) and checks that the canary is neither read nor changed.
struct HostileSymlinkTests {
    /// `/etc -> CANARY`, `/up -> ../../../..CANARY`, `/proc-link -> /proc/self/root/CANARY`.
    private func hostileTree() throws -> TestTree {
        let tree = try TestTree()
        try tree.symlink(tree.inRoot("etc"), to: tree.canary)
        try tree.symlink(tree.inRoot("up"), to: String(repeating: "../", count: 12) + String(tree.canary.dropFirst()))
        try tree.symlink(tree.inRoot("proc-link"), to: "/proc/self/root" + tree.canary)
        try tree.symlink(tree.inRoot("secret-link"), to: tree.canary + "/secret")
        return tree
    }

    @Test(arguments: ["/etc/secret", "/up/secret", "/proc-link/secret", "/secret-link/", "/etc/.", "/up/"])
    func readsStayInside(path: String) throws {
        let tree = try hostileTree()
        defer { tree.remove() }
        #expect(throws: BerthError.self) {
            try ContainerCopy.copyOut(rootfs: tree.rootfs, path: path, toHost: tree.onHost("out"))
        }
        #expect(!tree.exists(tree.onHost("out")))
        let fd = try temporaryFile()
        #expect(throws: BerthError.self) { try ContainerCopy.copyOutArchive(rootfs: tree.rootfs, path: path, to: fd.rawValue) }
    }

    @Test func aLinkAsSourceIsCopiedAsALink() throws {
        let tree = try hostileTree()
        defer { tree.remove() }
        try ContainerCopy.copyOut(rootfs: tree.rootfs, path: "/secret-link", toHost: tree.onHost("out"))
        #expect(tree.isSymlink(tree.onHost("out")))
    }

    @Test(arguments: ["/etc/pwned", "/up/pwned", "/proc-link/pwned", "/secret-link", "/etc/"])
    func writesStayInside(path: String) throws {
        let tree = try hostileTree()
        defer { tree.remove() }
        try tree.write(tree.onHost("pwned"), "pwned\n")
        _ = try? ContainerCopy.copyIn(fromHost: tree.onHost("pwned"), rootfs: tree.rootfs, path: path)
        #expect(try tree.canaryNames() == ["secret"])
        #expect(try tree.read(tree.canary + "/secret") == "host secret\n")
    }

    @Test func writesThroughALinkLandInsideTheRootfs() throws {
        let tree = try hostileTree()
        defer { tree.remove() }
        try tree.mkdir(tree.inRoot(String(tree.canary.dropFirst())))
        try tree.write(tree.onHost("pwned"), "pwned\n")
        try ContainerCopy.copyIn(fromHost: tree.onHost("pwned"), rootfs: tree.rootfs, path: "/etc/")
        #expect(try tree.read(tree.inRoot(String(tree.canary.dropFirst()) + "/pwned")) == "pwned\n")
        #expect(try tree.canaryNames() == ["secret"])
    }

    @Test func archiveEntriesStayInside() throws {
        let tree = try hostileTree()
        defer { tree.remove() }
        try tree.mkdir(tree.inRoot("dest"))
        for entries in [["../pwned"], ["escape-link", "escape-link/pwned"], ["x/../../pwned"]] {
            let fd = try temporaryFile()
            let writer = try TarWriter(fd: fd)
            for entry in entries {
                if entry == "escape-link" {
                    try writer.addSymlink(path: entry, target: tree.canary)
                } else {
                    try writer.addFile(path: entry, bytes: Array("pwned\n".utf8))
                }
            }
            try writer.finish()
            rewind(fd)
            _ = try? ContainerCopy.copyInArchive(from: fd.rawValue, rootfs: tree.rootfs, path: "/dest")
            #expect(try tree.canaryNames() == ["secret"], "\(entries)")
            #expect(!tree.exists("\(tree.path)/pwned"))
        }
        for destination in ["/etc", "/up", "/proc-link"] {
            let fd = try temporaryFile()
            let writer = try TarWriter(fd: fd)
            try writer.addFile(path: "pwned", bytes: Array("pwned\n".utf8))
            try writer.finish()
            rewind(fd)
            _ = try? ContainerCopy.copyInArchive(from: fd.rawValue, rootfs: tree.rootfs, path: destination)
            #expect(try tree.canaryNames() == ["secret"], "\(destination)")
        }
    }
}

import ContainerFiles
import Diagnostics
import LinuxSyscalls
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// docker cp's destination rules, both ways, on temporary directories (no root needed).
struct ContainerCopyTests {
    @Test func fileToMissingDestinationTakesItsName() throws {
        let tree = try TestTree()
        defer { tree.remove() }
        try tree.mkdir(tree.inRoot("etc"))
        try tree.write(tree.inRoot("etc/hostname"), "web\n", mode: 0o640)
        try tree.setMtime(tree.inRoot("etc/hostname"), 1_600_000_000)
        try ContainerCopy.copyOut(rootfs: tree.rootfs, path: "/etc/hostname", toHost: tree.onHost("name.txt"))
        #expect(try tree.read(tree.onHost("name.txt")) == "web\n")
        let status = try tree.status(tree.onHost("name.txt"))
        #expect(status.st_mode & 0o7777 == 0o640)
        #expect(status.st_mtim.tv_sec == 1_600_000_000)
    }

    @Test func fileIntoExistingDirectoryAndOverExistingFile() throws {
        let tree = try TestTree()
        defer { tree.remove() }
        try tree.write(tree.inRoot("motd"), "new\n")
        try ContainerCopy.copyOut(rootfs: tree.rootfs, path: "motd", toHost: tree.host)
        #expect(try tree.read(tree.onHost("motd")) == "new\n")
        try tree.write(tree.onHost("old"), "old contents that are longer\n")
        try ContainerCopy.copyOut(rootfs: tree.rootfs, path: "/motd", toHost: tree.onHost("old"))
        #expect(try tree.read(tree.onHost("old")) == "new\n")
    }

    @Test func directoryToMissingIntoExistingAndContentsOnly() throws {
        let tree = try TestTree()
        defer { tree.remove() }
        try tree.mkdir(tree.inRoot("app/sub"), mode: 0o750)
        try tree.write(tree.inRoot("app/sub/a"), "a")
        try tree.symlink(tree.inRoot("app/link"), to: "sub/a")
        try tree.setMtime(tree.inRoot("app/sub"), 1_500_000_000)

        try ContainerCopy.copyOut(rootfs: tree.rootfs, path: "/app", toHost: tree.onHost("copy"))
        #expect(try tree.read(tree.onHost("copy/sub/a")) == "a")
        #expect(tree.isSymlink(tree.onHost("copy/link")))
        #expect(try tree.status(tree.onHost("copy/sub")).st_mode & 0o7777 == 0o750)
        #expect(try tree.status(tree.onHost("copy/sub")).st_mtim.tv_sec == 1_500_000_000)

        try tree.mkdir(tree.onHost("existing"))
        try ContainerCopy.copyOut(rootfs: tree.rootfs, path: "/app", toHost: tree.onHost("existing"))
        #expect(try tree.read(tree.onHost("existing/app/sub/a")) == "a")

        try tree.mkdir(tree.onHost("contents"))
        try ContainerCopy.copyOut(rootfs: tree.rootfs, path: "/app/.", toHost: tree.onHost("contents"))
        #expect(try tree.read(tree.onHost("contents/sub/a")) == "a")
        #expect(!tree.exists(tree.onHost("contents/app")))
    }

    @Test func directoryOverFileIsAnError() throws {
        let tree = try TestTree()
        defer { tree.remove() }
        try tree.mkdir(tree.inRoot("dir"))
        try tree.write(tree.onHost("file"), "x")
        let error = #expect(throws: BerthError.self) {
            try ContainerCopy.copyOut(rootfs: tree.rootfs, path: "/dir", toHost: tree.onHost("file"))
        }
        #expect(error?.message == "cannot copy a directory to a file: \(tree.onHost("file"))")
    }

    @Test func missingSourceAndMissingDestinationDirectory() throws {
        let tree = try TestTree()
        defer { tree.remove() }
        let missing = #expect(throws: BerthError.self) {
            try ContainerCopy.copyOut(rootfs: tree.rootfs, path: "/nope", toHost: tree.host)
        }
        #expect(missing?.message == "could not find the file /nope in container")
        #expect(missing?.code == .notFound)
        let deep = #expect(throws: BerthError.self) {
            try ContainerCopy.copyOut(rootfs: tree.rootfs, path: "/no/such/file", toHost: tree.host)
        }
        #expect(deep?.message == "could not find the file /no/such/file in container")

        try tree.write(tree.inRoot("f"), "f")
        let noParent = #expect(throws: BerthError.self) {
            try ContainerCopy.copyOut(rootfs: tree.rootfs, path: "/f", toHost: tree.onHost("a/b"))
        }
        #expect(noParent?.message == "no such directory: \(tree.onHost("a"))")
        let slash = #expect(throws: BerthError.self) {
            try ContainerCopy.copyOut(rootfs: tree.rootfs, path: "/f", toHost: tree.onHost("newdir/"))
        }
        #expect(slash?.message == "no such directory: \(tree.onHost("newdir"))")
        let inContainer = #expect(throws: BerthError.self) {
            try ContainerCopy.copyIn(fromHost: tree.canary + "/secret", rootfs: tree.rootfs, path: "/x/y")
        }
        #expect(inContainer?.message == "no such directory: /x in container")
        let hostMissing = #expect(throws: BerthError.self) {
            try ContainerCopy.copyIn(fromHost: tree.onHost("nope"), rootfs: tree.rootfs, path: "/")
        }
        #expect(hostMissing?.message == "lstat \(tree.onHost("nope")): no such file or directory")
    }

    @Test func symlinkSourceIsCopiedAsALinkUnlessItEndsWithASlash() throws {
        let tree = try TestTree()
        defer { tree.remove() }
        try tree.mkdir(tree.inRoot("real"))
        try tree.write(tree.inRoot("real/file"), "r")
        try tree.symlink(tree.inRoot("alias"), to: "/real")
        try ContainerCopy.copyOut(rootfs: tree.rootfs, path: "/alias", toHost: tree.onHost("link"))
        #expect(tree.isSymlink(tree.onHost("link")))
        #expect(try Files.readLink(tree.onHost("link")) == "/real")
        try ContainerCopy.copyOut(rootfs: tree.rootfs, path: "/alias/", toHost: tree.onHost("followed"))
        #expect(try tree.read(tree.onHost("followed/file")) == "r")
    }

    @Test func copyInFollowsTheSameRules() throws {
        let tree = try TestTree()
        defer { tree.remove() }
        try tree.mkdir(tree.onHost("conf/d"))
        try tree.write(tree.onHost("conf/d/x.conf"), "x=1\n", mode: 0o600)
        try tree.mkdir(tree.inRoot("etc"))
        try ContainerCopy.copyIn(fromHost: tree.onHost("conf"), rootfs: tree.rootfs, path: "/etc")
        #expect(try tree.read(tree.inRoot("etc/conf/d/x.conf")) == "x=1\n")
        #expect(try tree.status(tree.inRoot("etc/conf/d/x.conf")).st_mode & 0o7777 == 0o600)
        try ContainerCopy.copyIn(fromHost: tree.onHost("conf/d/x.conf"), rootfs: tree.rootfs, path: "/etc/renamed")
        #expect(try tree.read(tree.inRoot("etc/renamed")) == "x=1\n")
        try ContainerCopy.copyIn(fromHost: tree.onHost("conf/."), rootfs: tree.rootfs, path: "/opt")
        #expect(try tree.read(tree.inRoot("opt/d/x.conf")) == "x=1\n")
        // A directory never replaces a file inside the tree, nor the other way round.
        try tree.mkdir(tree.onHost("clash/renamed"))
        let clash = #expect(throws: BerthError.self) {
            try ContainerCopy.copyIn(fromHost: tree.onHost("clash/."), rootfs: tree.rootfs, path: "/etc")
        }
        #expect(clash?.message == "cannot overwrite non-directory /etc/renamed with directory")
    }

    @Test func ownershipIsKeptAsRoot() throws {
        guard geteuid() == 0 else { return }
        let tree = try TestTree()
        defer { tree.remove() }
        try tree.write(tree.inRoot("owned"), "o")
        try syscall("chown") { chown(tree.inRoot("owned"), 1234, 5678) }
        try tree.symlink(tree.inRoot("owned-link"), to: "owned")
        try syscall("lchown") { lchown(tree.inRoot("owned-link"), 4321, 8765) }
        try ContainerCopy.copyOut(rootfs: tree.rootfs, path: "/", toHost: tree.onHost("all"))
        let file = try tree.status(tree.onHost("all/owned"))
        #expect(file.st_uid == 1234 && file.st_gid == 5678)
        let link = try tree.status(tree.onHost("all/owned-link"))
        #expect(link.st_uid == 4321 && link.st_gid == 8765)
    }

    @Test func hardLinksAndNonUTF8NamesSurvive() throws {
        let tree = try TestTree()
        defer { tree.remove() }
        try tree.mkdir(tree.inRoot("data/sub"))
        try tree.write(tree.inRoot("data/one"), "same\n")
        try syscall("link") { link(tree.inRoot("data/one"), tree.inRoot("data/sub/two")) }
        // "caf\xe9": Latin-1, not UTF-8.
        let latin1: [CChar] = Array(tree.inRoot("data/caf").utf8CString.dropLast()) + [CChar(bitPattern: 0xe9), 0]
        let copied: [CChar] = Array(tree.onHost("data/caf").utf8CString.dropLast()) + [CChar(bitPattern: 0xe9), 0]
        // Files.removeTree lists names as Strings: these two go first.
        defer {
            unlink(latin1)
            unlink(copied)
        }
        let fd = try syscall("create") { open(latin1, O_CREAT | O_WRONLY | O_CLOEXEC, 0o644) }
        close(fd)
        try ContainerCopy.copyOut(rootfs: tree.rootfs, path: "/data", toHost: tree.onHost("data"))
        let one = try tree.status(tree.onHost("data/one"))
        #expect(one.st_ino == (try tree.status(tree.onHost("data/sub/two"))).st_ino)
        #expect(one.st_nlink == 2)
        var status = stat()
        #expect(lstat(copied, &status) == 0)
    }

    @Test func withoutKeepingOwnershipCopiesAreOurs() throws {
        guard geteuid() == 0 else { return }
        let tree = try TestTree()
        defer { tree.remove() }
        try tree.write(tree.inRoot("owned"), "o")
        try syscall("chown") { chown(tree.inRoot("owned"), 1234, 5678) }
        try ContainerCopy.copyOut(rootfs: tree.rootfs, path: "/owned", toHost: tree.onHost("mine"), keepingOwnership: false)
        let status = try tree.status(tree.onHost("mine"))
        #expect(status.st_uid == geteuid() && status.st_gid == getegid())
    }
}

import ContainerFiles
import Diagnostics
import LayerArchive
import LinuxSyscalls
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `docker cp CTR:SRC -`, `docker cp - CTR:DEST` and `docker export`.
struct ArchiveCopyTests {
    private func entries(of fd: FileDescriptor) throws -> [TarEntry] {
        rewind(fd)
        let reader = try TarReader(source: FileByteSource(fd: try FileDescriptor.open(fd.procPath, O_RDONLY)))
        var result: [TarEntry] = []
        while let entry = try reader.next() { result.append(entry) }
        return result
    }

    private func sampleTree() throws -> TestTree {
        let tree = try TestTree()
        try tree.mkdir(tree.inRoot("etc/conf.d"))
        try tree.write(tree.inRoot("etc/hostname"), "web\n", mode: 0o600)
        try tree.write(tree.inRoot("etc/conf.d/a.conf"), "a\n")
        try tree.symlink(tree.inRoot("etc/link"), to: "hostname")
        return tree
    }

    @Test func directoryFileAndContentsAsTar() throws {
        let tree = try sampleTree()
        defer { tree.remove() }
        let directory = try temporaryFile()
        try ContainerCopy.copyOutArchive(rootfs: tree.rootfs, path: "/etc", to: directory.rawValue)
        #expect(try entries(of: directory).map(\.path) == ["etc/", "etc/conf.d/", "etc/conf.d/a.conf", "etc/hostname", "etc/link"])

        let file = try temporaryFile()
        try ContainerCopy.copyOutArchive(rootfs: tree.rootfs, path: "/etc/hostname", to: file.rawValue)
        let only = try entries(of: file)
        #expect(only.map(\.path) == ["hostname"])
        #expect(only.first?.mode == 0o600 && only.first?.size == 4)

        let contents = try temporaryFile()
        try ContainerCopy.copyOutArchive(rootfs: tree.rootfs, path: "/etc/.", to: contents.rawValue)
        #expect(try entries(of: contents).map(\.path) == ["conf.d/", "conf.d/a.conf", "hostname", "link"])

        let link = try temporaryFile()
        try ContainerCopy.copyOutArchive(rootfs: tree.rootfs, path: "/etc/link", to: link.rawValue)
        let linkEntry = try entries(of: link).first
        #expect(linkEntry?.kind == .symlink && linkEntry?.linkTarget == "hostname")
    }

    @Test func tarIsExtractedIntoAnExistingDirectory() throws {
        let tree = try sampleTree()
        defer { tree.remove() }
        let fd = try temporaryFile()
        let writer = try TarWriter(fd: fd)
        try writer.addDirectory(path: "new", mode: 0o750, mtime: 1_400_000_000)
        try writer.addFile(path: "new/file", mode: 0o640, mtime: 1_400_000_001, bytes: Array("data\n".utf8))
        try writer.addSymlink(path: "new/link", target: "file")
        try writer.addHardLink(path: "new/hard", target: "new/file", mode: 0o640)
        try writer.addFile(path: "deep/missing/parents", bytes: Array("p".utf8))
        try writer.addFile(path: ".wh.notawhiteout", bytes: [])
        try writer.finish()
        rewind(fd)
        try ContainerCopy.copyInArchive(from: fd.rawValue, rootfs: tree.rootfs, path: "/etc")
        #expect(try tree.read(tree.inRoot("etc/new/file")) == "data\n")
        #expect(try tree.read(tree.inRoot("etc/new/hard")) == "data\n")
        #expect(try tree.status(tree.inRoot("etc/new/hard")).st_ino == tree.status(tree.inRoot("etc/new/file")).st_ino)
        #expect(tree.isSymlink(tree.inRoot("etc/new/link")))
        #expect(try tree.read(tree.inRoot("etc/deep/missing/parents")) == "p")
        #expect(try tree.status(tree.inRoot("etc/.wh.notawhiteout")).st_mode & S_IFMT == S_IFREG)
        let directory = try tree.status(tree.inRoot("etc/new"))
        #expect(directory.st_mode & 0o7777 == 0o750 && directory.st_mtim.tv_sec == 1_400_000_000)
        #expect(try tree.status(tree.inRoot("etc/new/file")).st_mtim.tv_sec == 1_400_000_001)
    }

    @Test func tarDestinationMustBeAnExistingDirectory() throws {
        let tree = try sampleTree()
        defer { tree.remove() }
        let fd = try temporaryFile()
        let missing = #expect(throws: BerthError.self) {
            try ContainerCopy.copyInArchive(from: fd.rawValue, rootfs: tree.rootfs, path: "/nope")
        }
        #expect(missing?.message == "no such directory: /nope in container")
        let file = #expect(throws: BerthError.self) {
            try ContainerCopy.copyInArchive(from: fd.rawValue, rootfs: tree.rootfs, path: "/etc/hostname")
        }
        #expect(file?.message == "not a directory: /etc/hostname in container")
    }

    @Test func exportArchivesTheWholeRootfs() throws {
        let tree = try sampleTree()
        defer { tree.remove() }
        let fd = try temporaryFile()
        try ContainerExport.export(rootfs: tree.rootfs, to: fd.rawValue)
        let all = try entries(of: fd)
        #expect(all.map(\.path) == ["etc/", "etc/conf.d/", "etc/conf.d/a.conf", "etc/hostname", "etc/link"])
        #expect(all.first { $0.path == "etc/hostname" }?.mode == 0o600)
        #expect(fcntl(fd.rawValue, F_GETFD) != -1, "the caller's descriptor stays open")
    }
}

import ContainerFiles
import Diagnostics
import LayerArchive
import LinuxSyscalls
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// cp and export on a real overlayfs rootfs, as the engine mounts it: the merged view is read
/// and written, whiteouts stay in the upper directory and never reach an export.
@Suite(.enabled(if: geteuid() == 0, "mounting overlayfs needs root"))
struct OverlayRootfsTests {
    @Test func copyAndExportOnAMergedView() throws {
        let tree = try TestTree()
        defer { tree.remove() }
        for name in ["lower/etc", "upper", "work"] { try tree.mkdir("\(tree.path)/\(name)") }
        try tree.write("\(tree.path)/lower/etc/hostname", "lower\n")
        try tree.write("\(tree.path)/lower/etc/doomed", "x")
        try syscall("mkfifo") { mkfifo("\(tree.path)/lower/etc/pipe", 0o600) }
        try Mounts.mount(source: "overlay", target: tree.rootfs, type: "overlay", flags: [],
                         data: "lowerdir=\(tree.path)/lower,upperdir=\(tree.path)/upper,workdir=\(tree.path)/work")
        defer { try? Mounts.unmount(tree.rootfs, detach: true) }

        try ContainerCopy.copyOut(rootfs: tree.rootfs, path: "/etc", toHost: tree.onHost("etc"))
        #expect(try tree.read(tree.onHost("etc/hostname")) == "lower\n")
        #expect(try tree.status(tree.onHost("etc/pipe")).st_mode & S_IFMT == S_IFIFO, "a fifo is made, not read")

        try tree.write(tree.onHost("motd"), "from the host\n")
        try ContainerCopy.copyIn(fromHost: tree.onHost("motd"), rootfs: tree.rootfs, path: "/etc/hostname")
        #expect(try tree.read(tree.inRoot("etc/hostname")) == "from the host\n")
        #expect(try tree.read("\(tree.path)/upper/etc/hostname") == "from the host\n", "written to the upper layer")
        #expect(try tree.read("\(tree.path)/lower/etc/hostname") == "lower\n")

        try syscall("unlink") { unlink(tree.inRoot("etc/doomed")) }
        let fd = try temporaryFile()
        try ContainerExport.export(rootfs: tree.rootfs, to: fd.rawValue)
        rewind(fd)
        let reader = try TarReader(source: FileByteSource(fd: try FileDescriptor.open(fd.procPath, O_RDONLY)))
        var paths: [String] = []
        while let entry = try reader.next() { paths.append(entry.path) }
        #expect(paths == ["etc/", "etc/hostname", "etc/pipe"])
    }
}

import Diagnostics
import LayerArchive
import LinuxSyscalls

/// `docker export`: the container's whole file system as one tar stream.
public enum ContainerExport {
    /// Writes a tar of everything under `rootfs` to `fd` (which stays open): the merged view
    /// of a mounted overlayfs, so there are no whiteouts; entries are named from the top
    /// (`bin/sh`), sorted, with ownership, modes, mtimes, xattrs, devices and hard links.
    /// - Parameters:
    ///   - rootfs: the container's mounted root filesystem.
    ///   - fd: where the tar goes.
    /// - Throws: "archive ROOTFS: entry 'PATH': ..." or "write tar: ...".
    public static func export(rootfs: String, to fd: Int32) throws {
        let writer = try TarWriter(fd: try duplicate(fd))
        try writer.addTree(rootfs)
        try writer.finish()
    }
}

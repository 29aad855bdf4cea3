import Diagnostics
import LinuxSyscalls

#if canImport(Glibc)
import Glibc
#endif

/// `docker cp` between a container's root filesystem and the host.
///
/// Every path inside the rootfs is resolved from a descriptor on it with
/// openat2(RESOLVE_IN_ROOT|RESOLVE_NO_MAGICLINKS), and every entry is created or read relative
/// to its parent's descriptor without following a symlink: nothing in the container (`/etc ->
/// /host-etc`, `../../..`) can lead a read or a write outside the rootfs. The rootfs must be
/// mounted (the engine mounts stopped containers too).
///
/// Destination rules, the same both ways (https://docs.docker.com/reference/cli/docker/container/cp/):
/// - DEST missing: created as a copy of SRC (file or directory); its parent must exist, and a
///   DEST ending with "/" must already be a directory when SRC is a file.
/// - DEST an existing directory: SRC is copied into it, or only SRC's contents when SRC ends with "/.".
/// - DEST an existing file: replaced by a file SRC; a directory SRC is an error.
///
/// Copies keep modes, times, symlinks (as links) and hard links, and, with `keepingOwnership`
/// (the default, `docker cp -a`) when run as root, ownership; without it, new files belong to
/// the caller, as with plain `docker cp`. A SRC whose last component is a symlink is copied as
/// the link, unless it ends with "/".
public enum ContainerCopy {
    /// `docker cp CONTAINER:SRC DEST`: copies `path` from the container to the host.
    /// - Parameters:
    ///   - rootfs: the container's mounted root filesystem.
    ///   - path: SRC, a file or directory in the container (absolute, or taken from its root).
    ///   - destination: DEST on the host (relative to the current directory unless absolute).
    ///   - keepingOwnership: give copies the source's owner (`-a`); otherwise they are the caller's.
    /// - Throws: notFound "could not find the file SRC in container", notFound "no such
    ///   directory: DIR", "cannot copy a directory to a file: DEST", or a system error naming
    ///   the path.
    public static func copyOut(rootfs: String, path: String, toHost destination: String,
                               keepingOwnership: Bool = true) throws {
        let source = try CopySource.locate(CopyPath(path), in: try RootedTree.container(rootfs))
        try copy(source, to: CopyPath(hostPath(destination)), in: try RootedTree.host(),
                 copier: TreeCopier(keepingOwnership: keepingOwnership))
    }

    /// `docker cp SRC CONTAINER:DEST`: copies `source` from the host into the container.
    /// - Parameters:
    ///   - source: SRC on the host (relative to the current directory unless absolute).
    ///   - rootfs: the container's mounted root filesystem.
    ///   - destination: DEST in the container.
    ///   - keepingOwnership: give copies the source's owner (`-a`); otherwise they are the caller's (root).
    /// - Throws: notFound "lstat SRC: no such file or directory", notFound "no such directory:
    ///   DIR in container", "cannot copy a directory to a file: DEST", or a system error.
    public static func copyIn(fromHost source: String, rootfs: String, path destination: String,
                              keepingOwnership: Bool = true) throws {
        let located = try CopySource.locate(CopyPath(hostPath(source)), in: try RootedTree.host())
        try copy(located, to: CopyPath(destination), in: try RootedTree.container(rootfs),
                 copier: TreeCopier(keepingOwnership: keepingOwnership))
    }

    /// Applies the destination rules to `source` and copies it.
    static func copy(_ source: CopySource, to destination: CopyPath, in tree: RootedTree, copier: TreeCopier) throws {
        let existing = tree.open(destination.components, O_RDONLY | O_DIRECTORY)
        if existing != -1 {
            let directory = FileDescriptor(existing)
            if source.contentsOnly, let sourceDirectory = source.directory {
                return try copier.copyChildren(of: sourceDirectory, into: directory, sourcePath: source.path,
                                                     destinationPath: destination.original)
            }
            return try copy(source, as: source.name, into: directory.rawValue,
                            destinationPath: join(destination.original, source.name), copier: copier)
        }
        switch errno {
        case ENOTDIR:
            // DEST (or a link at its end) is not a directory, or one of its parents is not.
            if source.isDirectory {
                throw BerthError(.invalidArgument, "cannot copy a directory to a file: \(destination.original)")
            }
            if destination.trailingSlash { throw tree.directoryError(destination.components, ENOTDIR) }
        case ENOENT:
            if destination.trailingSlash && !source.isDirectory {
                throw tree.directoryError(destination.components, ENOENT)
            }
        default:
            throw BerthError.system("open", path: destination.original)
        }
        guard let name = destination.name else { throw BerthError.system("open", path: destination.original) }
        let parent = try tree.openDirectory(destination.parentComponents)
        try copy(source, as: name, into: parent.rawValue, destinationPath: destination.original, copier: copier)
    }

    private static func copy(_ source: CopySource, as name: String, into parent: Int32, destinationPath: String,
                             copier: TreeCopier) throws {
        if let directory = source.directory {
            try copier.copyDirectory(directory, metadata: EntryMetadata(source.status), to: cName(name), in: parent,
                                     sourcePath: source.path, destinationPath: destinationPath)
        } else if let sourceParent = source.parent {
            try copier.copy(cName(source.name), in: sourceParent.rawValue, to: cName(name), in: parent,
                            sourcePath: source.path, destinationPath: destinationPath)
        }
    }
}

import Diagnostics
import ImageSpec
import LinuxSyscalls

#if canImport(Glibc)
import Glibc
#endif

extension ImageStore {
    /// Mounts the root filesystem of `image` at `target`: overlayfs with the image's layers as
    /// lower dirs (top layer first) and `upper`/`work` as its writable part. Without `upper`, a
    /// read-only view: the layers alone (one layer: a read-only bind mount).
    public func mountRootfs(of image: StoredImage, target: String, upper: String? = nil, work: String? = nil) throws {
        try BerthError.wrap("mount root filesystem of \(image.id.shortID) at \(target)") {
            try ensureLayers(of: image)
            let lowers = image.diffIDs.reversed().map { layerDiffPath(diffID: $0) }
            if let upper, let work {
                try mountOverlay(lowers: lowers, options: ",upperdir=\(upper),workdir=\(work)", target: target, flags: [])
            } else if lowers.count == 1 {
                try Mounts.mount(source: lowers[0], target: target, type: nil, flags: [.bind])
                try Mounts.mount(source: nil, target: target, type: nil, flags: [.bind, .remount, .readOnly])
            } else if lowers.isEmpty {
                throw BerthError.invalid("image has no layers")
            } else {
                try mountOverlay(lowers: lowers, options: "", target: target, flags: [.readOnly])
            }
        }
    }

    /// overlayfs takes at most a page of options: with many layers, the lower dirs are named
    /// relative to layers/ (the mount is made with that as the working directory).
    private func mountOverlay(lowers: [String], options: String, target: String, flags: MountFlags) throws {
        let absolute = "lowerdir=\(lowers.joined(separator: ":"))\(options)"
        if absolute.utf8.count < 4000 {
            try Mounts.mount(source: "overlay", target: target, type: "overlay", flags: flags, data: absolute)
            return
        }
        let prefix = "\(layersPath)/"
        let relative = "lowerdir=\(lowers.map { String($0.dropFirst(prefix.count)) }.joined(separator: ":"))\(options)"
        guard relative.utf8.count < 4000 else { throw BerthError.invalid("too many layers (\(lowers.count)) for one overlay mount") }
        let previous = try FileDescriptor.open(".", OpenFlags.path | O_DIRECTORY)
        try syscall("chdir", path: layersPath) { chdir(layersPath) }
        defer { _ = fchdir(previous.rawValue) }
        try Mounts.mount(source: "overlay", target: target, type: "overlay", flags: flags, data: relative)
    }
}

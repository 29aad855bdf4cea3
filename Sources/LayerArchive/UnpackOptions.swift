import ImageSpec

/// How `LayerUnpacker` treats what needs privileges.
public struct UnpackOptions: Sendable, Equatable {
    /// Unpacking without root: ownership is not changed (everything belongs to the caller),
    /// character and block devices are left out, xattrs the kernel refuses (EPERM) are
    /// skipped, and opaque directories are marked with `user.overlay.opaque` (overlayfs's
    /// `userxattr` convention) when `trusted.overlay.opaque` is refused.
    public var rootless: Bool

    public init(rootless: Bool = false) {
        self.rootless = rootless
    }
}

/// What unpacking a layer found.
public struct UnpackResult: Sendable, Equatable {
    /// The sha256 of the uncompressed tar stream, all of it: the layer's diff id.
    public var diffID: Digest
    /// The sum of the regular files' sizes and the symlinks' target lengths (docker's layer size).
    public var size: Int64
    /// How many tar entries the layer has, whiteouts and the root entry included.
    public var entryCount: Int

    public init(diffID: Digest, size: Int64, entryCount: Int) {
        self.diffID = diffID
        self.size = size
        self.entryCount = entryCount
    }
}

import Cgroups
import OCIRuntimeSpec

/// Everything the container's init needs to build the container's file system view.
public struct RootfsConfig: Sendable {
    /// Absolute host path of `root.path` (resolved against the bundle).
    public var rootfs: String
    /// The whole config: mounts, linux.devices, masked and read-only paths, propagation.
    public var spec: Spec
    /// `--no-pivot`: MS_MOVE the root onto "/" and chroot instead of pivot_root.
    public var noPivot: Bool
    /// The init runs in a new user namespace: mknod is refused, so host device nodes are
    /// bind-mounted instead, and sysfs may not be mountable.
    public var inUserNamespace: Bool
    /// The container's own cgroups, one per hierarchy, for `cgroup`/`cgroup2` mounts.
    public var cgroupMounts: [CgroupMountSource]
    /// The init has a new cgroup namespace: cgroup file systems are mounted fresh instead of bound.
    public var cgroupNamespace: Bool

    public init(rootfs: String, spec: Spec, noPivot: Bool = false, inUserNamespace: Bool = false,
                cgroupMounts: [CgroupMountSource] = [], cgroupNamespace: Bool = false) {
        self.rootfs = rootfs
        self.spec = spec
        self.noPivot = noPivot
        self.inUserNamespace = inUserNamespace
        self.cgroupMounts = cgroupMounts
        self.cgroupNamespace = cgroupNamespace
    }
}

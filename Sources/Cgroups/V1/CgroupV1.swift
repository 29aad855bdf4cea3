/// The cgroup v1 controllers, one file each. Every writer takes the cgroup directory and the
/// `CgroupFiles` to write through, so tests can run them against a temporary directory.
/// runc's `libcontainer/cgroups/fs` is the behavioural reference.
public enum CgroupV1 {}

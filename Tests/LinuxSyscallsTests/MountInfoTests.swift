import Testing

@testable import LinuxSyscalls

@Suite struct MountInfoTests {
    let sample = """
        22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw
        23 22 0:21 / /proc rw,nosuid,nodev,noexec,relatime shared:12 - proc proc rw
        40 22 0:35 / /var/lib/my\\040dir rw,relatime - tmpfs tmpfs rw
        41 40 0:36 /sub /var/lib/my\\040dir/x rw,relatime master:3 - ext4 /dev/sdb rw
        """

    @Test func parses() {
        let mounts = MountInfo.parse(sample)
        #expect(mounts.count == 4)
        #expect(mounts[1] == MountInfo(device: "0:21", root: "/", mountPoint: "/proc", optionalFields: ["shared:12"],
                                       fsType: "proc", superOptions: "rw"))
        #expect(mounts[2].mountPoint == "/var/lib/my dir" && mounts[2].optionalFields.isEmpty)
        #expect(mounts[3].root == "/sub" && !mounts[3].isShared)
    }

    @Test func containingMount() {
        let mounts = MountInfo.parse(sample)
        #expect(MountInfo.mount(containing: "/var/lib/my dir/rootfs", in: mounts)?.fsType == "tmpfs")
        #expect(MountInfo.mount(containing: "/var/lib/my dirx", in: mounts)?.mountPoint == "/")
        #expect(MountInfo.mount(containing: "/proc", in: mounts)?.isShared == true)
    }
}

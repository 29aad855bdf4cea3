import Diagnostics
import OCIRuntimeSpec
import Testing
@testable import Cgroups

#if canImport(Glibc)
import Glibc
#endif

@Suite struct V1ControllerTests {
    @Test(arguments: [(Int64(100), "100"), (0, "max"), (-1, "max")])
    func pidsMax(limit: Int64, expected: String) throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let dir = try temp.makeCgroup("pids/c1", ["pids.max": "max\n"])
        let files = RecordingCgroupFiles()
        try CgroupV1.Pids.apply(PidsResources(limit: limit), directory: dir, files: files)
        #expect(files.log == ["pids.max=\(expected)"])
        #expect(try temp.read("pids/c1/pids.max") == expected)
    }

    @Test(arguments: [("blkio.weight", "blkio.weight_device"), ("blkio.bfq.weight", "blkio.bfq.weight_device")])
    func blkioUsesTheWeightFileTheKernelHas(weightFile: String, deviceFile: String) throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let names = [weightFile, deviceFile, "blkio.leaf_weight", "blkio.leaf_weight_device",
                     "blkio.throttle.read_bps_device", "blkio.throttle.write_bps_device",
                     "blkio.throttle.read_iops_device", "blkio.throttle.write_iops_device"]
        let dir = try temp.makeCgroup("blkio/c1", Dictionary(uniqueKeysWithValues: names.map { ($0, "") }))
        var blockIO = BlockIOResources(weight: 500)
        blockIO.leafWeight = 300
        blockIO.weightDevice = [try spec(WeightDevice.self, #"{"major": 8, "minor": 0, "weight": 600, "leafWeight": 200}"#)]
        blockIO.throttleReadBpsDevice = [try spec(ThrottleDevice.self, #"{"major": 8, "minor": 0, "rate": 1048576}"#)]
        blockIO.throttleWriteBpsDevice = [try spec(ThrottleDevice.self, #"{"major": 8, "minor": 16, "rate": 2048}"#)]
        blockIO.throttleReadIOPSDevice = [try spec(ThrottleDevice.self, #"{"major": 8, "minor": 0, "rate": 100}"#)]
        blockIO.throttleWriteIOPSDevice = [try spec(ThrottleDevice.self, #"{"major": 8, "minor": 0, "rate": 50}"#)]
        let files = RecordingCgroupFiles()
        try CgroupV1.Blkio.apply(blockIO, directory: dir, files: files)
        #expect(files.log == [
            "\(weightFile)=500", "blkio.leaf_weight=300", "\(deviceFile)=8:0 600", "blkio.leaf_weight_device=8:0 200",
            "blkio.throttle.read_bps_device=8:0 1048576", "blkio.throttle.write_bps_device=8:16 2048",
            "blkio.throttle.read_iops_device=8:0 100", "blkio.throttle.write_iops_device=8:0 50",
        ])
    }

    @Test func hugetlbLimits() throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let dir = try temp.makeCgroup("hugetlb/c1", ["hugetlb.2MB.limit_in_bytes": ""])
        let files = RecordingCgroupFiles()
        try CgroupV1.Hugetlb.apply([try spec(HugepageLimit.self, #"{"pageSize": "2MB", "limit": 4194304}"#)], directory: dir, files: files)
        #expect(files.log == ["hugetlb.2MB.limit_in_bytes=4194304"])
        let error = #expect(throws: BerthError.self) {
            try CgroupV1.Hugetlb.apply([try spec(HugepageLimit.self, #"{"pageSize": "1GB", "limit": 1}"#)], directory: dir, files: files)
        }
        #expect(error?.code == .notFound)
        #expect(error?.message == "set cgroup hugetlb.1GB.limit_in_bytes \(dir): no such file or directory")
    }

    // MARK: - Devices

    func devicesCgroup() throws -> (TemporaryDirectory, String) {
        let temp = try TemporaryDirectory()
        return (temp, try temp.makeCgroup("devices/c1", ["devices.allow": "", "devices.deny": ""]))
    }

    static let defaultLines = [
        "devices.allow=c *:* m", "devices.allow=b *:* m", "devices.allow=c 1:3 rwm", "devices.allow=c 1:5 rwm",
        "devices.allow=c 1:7 rwm", "devices.allow=c 1:8 rwm", "devices.allow=c 1:9 rwm", "devices.allow=c 5:0 rwm",
        "devices.allow=c 5:1 rwm", "devices.allow=c 5:2 rwm", "devices.allow=c 136:* rwm",
        "devices.allow=c 10:200 rwm",
    ]

    @Test func denyAllThenTheDefaults() throws {
        let (temp, dir) = try devicesCgroup()
        defer { temp.remove() }
        let files = RecordingCgroupFiles()
        // The spec's usual first rule: deny everything.
        try CgroupV1.Devices.apply([DeviceRule(allow: false, access: "rwm")], directory: dir, files: files)
        #expect(files.log == ["devices.deny=a"] + Self.defaultLines)
    }

    @Test func specRulesComeBeforeTheDefaultsInOrder() throws {
        let (temp, dir) = try devicesCgroup()
        defer { temp.remove() }
        let files = RecordingCgroupFiles()
        let rules = [
            DeviceRule(allow: false, access: "rwm"),
            DeviceRule(allow: true, type: "c", major: 10, minor: 229, access: "rw"),
            DeviceRule(allow: false, type: "c", major: 10, minor: 229, access: "w"),
            DeviceRule(allow: true, type: "b", major: 8, minor: -1),
        ]
        try CgroupV1.Devices.apply(rules, directory: dir, files: files)
        #expect(files.log == ["devices.deny=a", "devices.allow=c 10:229 rw", "devices.deny=c 10:229 w",
                              "devices.allow=b 8:* rwm"] + Self.defaultLines)
    }

    @Test func aLaterDenyAllIsWritten() throws {
        let (temp, dir) = try devicesCgroup()
        defer { temp.remove() }
        let files = RecordingCgroupFiles()
        let rules = [DeviceRule(allow: true, type: "c", major: 4, minor: 1), DeviceRule(allow: false)]
        try CgroupV1.Devices.apply(rules, directory: dir, files: files)
        #expect(Array(files.log.prefix(3)) == ["devices.deny=a", "devices.allow=c 4:1 rwm", "devices.deny=a *:* rwm"])
    }

    @Test(arguments: [DeviceRule(allow: true, type: "x"), DeviceRule(allow: true, type: "c", access: "rwx"),
                      DeviceRule(allow: true, type: "c", access: "")])
    func malformedRulesAreRefusedBeforeAnyWrite(rule: DeviceRule) throws {
        let (temp, dir) = try devicesCgroup()
        defer { temp.remove() }
        let files = RecordingCgroupFiles()
        let error = #expect(throws: BerthError.self) { try CgroupV1.Devices.apply([rule], directory: dir, files: files) }
        #expect(error?.code == .invalidArgument)
        #expect(files.log.isEmpty)
    }

    // MARK: - Freezer

    @Test func freezeAndThaw() throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let dir = try temp.makeCgroup("freezer/c1", ["freezer.state": "THAWED\n"])
        let files = RecordingCgroupFiles()
        try CgroupV1.Freezer.freeze(directory: dir, files: files)
        #expect(try CgroupV1.Freezer.state(directory: dir, files: files) == "FROZEN")
        try CgroupV1.Freezer.thaw(directory: dir, files: files)
        #expect(files.log == ["freezer.state=FROZEN", "freezer.state=THAWED"])
    }

    @Test func stuckFreezingGivesUpThawed() throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let dir = try temp.makeCgroup("freezer/c1", ["freezer.state": "THAWED\n"])
        let files = RecordingCgroupFiles()
        files.readBack["freezer.state"] = "FREEZING\n"
        let error = #expect(throws: BerthError.self) { try CgroupV1.Freezer.freeze(directory: dir, files: files) }
        #expect(error?.message == "freeze cgroup \(dir): still freezing after 1000 attempts")
        #expect(files.log.last == "freezer.state=THAWED")
        #expect(try temp.read("freezer/c1/freezer.state") == "THAWED")
    }
}

@Suite struct V1NetworkAndRdmaTests {
    @Test func classIDAndPriorities() throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let dir = try temp.makeCgroup("net_cls,net_prio/c1", ["net_cls.classid": "", "net_prio.ifpriomap": ""])
        let files = RecordingCgroupFiles()
        let network = NetworkResources(classID: 0x100001, priorities: [InterfacePriority(name: "eth0", priority: 5),
                                                                        InterfacePriority(name: "lo", priority: 2)])
        try CgroupV1.Network.applyClass(network, directory: dir, files: files)
        try CgroupV1.Network.applyPriorities(network, directory: dir, files: files)
        #expect(files.log == ["net_cls.classid=1048577", "net_prio.ifpriomap=eth0 5", "net_prio.ifpriomap=lo 2"])
    }

    @Test func rdmaLinesInDeviceOrder() throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let dir = try temp.makeCgroup("rdma/c1", ["rdma.max": ""])
        let files = RecordingCgroupFiles()
        try CgroupV1.Rdma.apply(["mlx5_1": RdmaResource(hcaObjects: 10),
                                 "mlx4_0": RdmaResource(hcaHandles: 2, hcaObjects: 2000)], directory: dir, files: files)
        #expect(files.log == ["rdma.max=mlx4_0 hca_handle=2 hca_object=2000", "rdma.max=mlx5_1 hca_object=10"])
    }
}

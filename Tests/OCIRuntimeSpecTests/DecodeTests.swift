import Diagnostics
import LiteJSON
import OCIRuntimeSpec
import Testing

@Suite struct DecodeTests {
    private func decode(_ json: String) throws(BerthError) -> Spec { try Spec.decode(Array(json.utf8)) }

    @Test(arguments: [
        ("{\"ociVersion\": \"1.2.0\",\n \"root\": {\"path\": \"r\"}\n \"x\": 1}",
         "config.json: invalid JSON at line 3, column 2: expected ',' or '}'"),
        (#"{"root": {"path": "r"}}"#, "config.json: ociVersion: missing"),
        (#"{"ociVersion": "1", "process": {"user": {"uid": 0, "gid": 0}, "args": ["sh"]}}"#, "config.json: process.cwd: missing"),
        (#"{"ociVersion": "1", "process": {"cwd": "/", "user": {"uid": "0", "gid": 0}}}"#,
         "config.json: process.user.uid: expected a number, found a string"),
        (#"{"ociVersion": "1", "process": {"cwd": "/", "user": {"uid": -1, "gid": 0}}}"#,
         "config.json: process.user.uid: -1 is out of range for UInt32"),
        (#"{"ociVersion": "1", "linux": {"namespaces": [{"type": "pid"}, {"type": "mount"}, {"type": "foo"}]}}"#,
         #"config.json: linux.namespaces[2].type: cannot decode "foo""#),
        (#"{"ociVersion": "1", "linux": {"sysctl": {"net.core.somaxconn": 1024}}}"#,
         #"config.json: linux.sysctl["net.core.somaxconn"]: expected a string, found a number"#),
        (#"{"ociVersion": "1", "process": {"cwd": "/", "user": {"uid": 0, "gid": 0}, "rlimits": [{"type": "RLIMIT_NOFILE", "hard": 18446744073709551616, "soft": 1}]}}"#,
         "config.json: process.rlimits[0].hard: 18446744073709551616 is out of range for UInt64"),
    ])
    func reportsTheFieldOnOneLine(json: String, message: String) {
        #expect(throws: BerthError(.invalidArgument, message)) { try decode(json) }
    }

    @Test func ignoresUnknownFieldsAndAcceptsNulls() throws {
        let spec = try decode(#"""
            {"ociVersion": "1.2.0", "root": {"path": "rootfs", "readonly": null}, "vm": {"hypervisor": {}},
             "process": {"cwd": "/", "user": {"uid": 0, "gid": 0}, "args": ["sh"], "commandLine": "x", "terminal": null},
             "linux": {"namespaces": [{"type": "mount"}], "resources": null}}
            """#)
        #expect(spec.root == Root(path: "rootfs"))
        #expect(spec.process?.terminal == nil)
        #expect(spec.linux?.resources == nil)
        try spec.validate()
    }

    @Test func decodesRuntimeSpec12Additions() throws {
        let spec = try decode(#"""
            {"ociVersion": "1.2.0",
             "process": {"cwd": "/", "user": {"uid": 0, "gid": 0},
                         "scheduler": {"policy": "SCHED_DEADLINE", "runtime": 1000, "deadline": 2000, "period": 3000, "flags": ["SCHED_FLAG_RESET_ON_FORK"]},
                         "ioPriority": {"class": "IOPRIO_CLASS_BE", "priority": 4},
                         "execCPUAffinity": {"initial": "0", "final": "0-3"}},
             "mounts": [{"destination": "/data", "type": "bind", "source": "/srv", "options": ["rbind", "idmap"],
                         "uidMappings": [{"containerID": 0, "hostID": 100000, "size": 65536}]}],
             "linux": {"timeOffsets": {"monotonic": {"secs": -5, "nanosecs": 7}},
                       "intelRdt": {"closID": "guaranteed", "l3CacheSchema": "L3:0=7f0"},
                       "resources": {"memory": {"limit": 1048576, "checkBeforeUpdate": true},
                                     "network": {"classID": 1048577, "priorities": [{"name": "eth0", "priority": 500}]},
                                     "rdma": {"mlx5_1": {"hcaHandles": 3, "hcaObjects": 10000}},
                                     "unified": {"memory.high": "1G"}}}}
            """#)
        #expect(spec.process?.scheduler?.policy == "SCHED_DEADLINE")
        #expect(spec.process?.scheduler?.deadline == 2000)
        #expect(spec.process?.ioPriority == IOPriority(class: "IOPRIO_CLASS_BE", priority: 4))
        #expect(spec.process?.execCPUAffinity == CPUAffinity(initial: "0", final: "0-3"))
        #expect(spec.mounts?.first?.uidMappings == [IDMapping(containerID: 0, hostID: 100000, size: 65536)])
        #expect(spec.linux?.timeOffsets?["monotonic"] == TimeOffset(secs: -5, nanosecs: 7))
        #expect(spec.linux?.intelRdt?.closID == "guaranteed")
        #expect(spec.linux?.resources?.memory?.checkBeforeUpdate == true)
        #expect(spec.linux?.resources?.network?.priorities == [InterfacePriority(name: "eth0", priority: 500)])
        #expect(spec.linux?.resources?.rdma?["mlx5_1"] == RdmaResource(hcaHandles: 3, hcaObjects: 10000))
        #expect(spec.linux?.resources?.unified == ["memory.high": "1G"])
        #expect(try Spec.decode(spec.encode()) == spec)
    }

    @Test func encodesCompactWithSortedMapsAndNoNulls() throws {
        var spec = Spec(root: Root(path: "rootfs"))
        spec.annotations = ["b": "2", "a": "1"]
        let text = String(decoding: try spec.encode(pretty: false), as: UTF8.self)
        #expect(text == #"{"ociVersion":"1.2.0","root":{"path":"rootfs"},"annotations":{"a":"1","b":"2"}}"#)
    }
}

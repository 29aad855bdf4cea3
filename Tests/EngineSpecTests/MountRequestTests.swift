import XCTest

@testable import EngineSpec

final class MountRequestTests: XCTestCase {
    func testVolumeSpecs() throws {
        XCTAssertEqual(try MountRequest.parseVolume("/host:/ctr"),
                       MountRequest(kind: .bind, source: "/host", destination: "/ctr"))
        XCTAssertEqual(try MountRequest.parseVolume("/host:/ctr:ro"),
                       MountRequest(kind: .bind, source: "/host", destination: "/ctr", readOnly: true))
        XCTAssertEqual(try MountRequest.parseVolume("/host:/ctr:ro,Z,rshared"),
                       MountRequest(kind: .bind, source: "/host", destination: "/ctr", readOnly: true, options: ["Z", "rshared"]))
        XCTAssertEqual(try MountRequest.parseVolume("data:/var/lib/data"),
                       MountRequest(kind: .volume, source: "data", destination: "/var/lib/data"))
        XCTAssertEqual(try MountRequest.parseVolume("data:/d:nocopy"),
                       MountRequest(kind: .volume, source: "data", destination: "/d", options: ["nocopy"]))
        XCTAssertEqual(try MountRequest.parseVolume("/anon"), MountRequest(kind: .volume, source: nil, destination: "/anon"))
    }

    func testBadVolumeSpecs() {
        let bad: [(String, String)] = [
            ("/host:", "invalid spec: /host:: empty section between colons"),
            ("", "invalid empty volume spec"),
            ("a:/b:ro:x", "invalid volume specification: 'a:/b:ro:x'"),
            ("/host:ctr", "invalid volume specification: '/host:ctr': invalid mount config for type \"bind\": invalid mount path: 'ctr' mount path must be absolute"),
            ("relative", "invalid volume specification: 'relative': invalid mount config for type \"volume\": invalid mount path: 'relative' mount path must be absolute"),
            ("vol:ctr", "invalid volume specification: 'vol:ctr': invalid mount config for type \"volume\": invalid mount path: 'ctr' mount path must be absolute"),
            ("/host:/", "invalid specification: destination can't be '/'"),
            ("/host:/ctr:xyz", "invalid mode: xyz"),
            ("/host:/ctr:nocopy", "invalid mode: nocopy"),
            ("bad$name:/ctr", "\"bad$name\" includes invalid characters for a local volume name, only \"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed. if you intended to pass a host directory, use absolute path"),
        ]
        for (spec, message) in bad {
            XCTAssertEqual(errorMessage { _ = try MountRequest.parseVolume(spec) }, message, spec)
        }
    }

    func testMountFlag() throws {
        XCTAssertEqual(try MountRequest.parseMount("type=bind,source=/h,target=/c,readonly"),
                       MountRequest(kind: .bind, source: "/h", destination: "/c", readOnly: true))
        XCTAssertEqual(try MountRequest.parseMount("type=bind,src=/h,dst=/c,bind-propagation=rslave,ro=false"),
                       MountRequest(kind: .bind, source: "/h", destination: "/c", options: ["rslave"]))
        XCTAssertEqual(try MountRequest.parseMount("source=vol,target=/data"),
                       MountRequest(kind: .volume, source: "vol", destination: "/data"))
        XCTAssertEqual(try MountRequest.parseMount("type=volume,target=/data,volume-nocopy"),
                       MountRequest(kind: .volume, source: nil, destination: "/data", options: ["nocopy"]))
        XCTAssertEqual(try MountRequest.parseMount("type=tmpfs,target=/t,tmpfs-size=64m,tmpfs-mode=1770"),
                       MountRequest(kind: .tmpfs, source: nil, destination: "/t", options: ["size=67108864", "mode=1770"]))
    }

    func testBadMountFlag() {
        let flag = { (spec: String, reason: String) in "invalid argument \"\(spec)\" for \"--mount\" flag: \(reason)" }
        let bad: [(String, String)] = [
            ("type=bind,source=/x", flag("type=bind,source=/x", "target is required")),
            ("type=nfs,target=/x", flag("type=nfs,target=/x", "invalid mount type: nfs")),
            ("type=bind,foo=bar,target=/x", flag("type=bind,foo=bar,target=/x", "unexpected key 'foo' in 'foo=bar'")),
            ("type=bind,source,target=/x", flag("type=bind,source,target=/x", "invalid field 'source' must be a key=value pair")),
            ("type=tmpfs,target=/t,tmpfs-size=12q", flag("type=tmpfs,target=/t,tmpfs-size=12q", "invalid value for tmpfs-size: 12q")),
            ("type=bind,target=/x", "invalid mount config for type \"bind\": field Source must not be empty"),
            ("type=tmpfs,source=x,target=/x", "invalid mount config for type \"tmpfs\": field Source must not be specified"),
            ("type=bind,source=/h,target=rel", flag("type=bind,source=/h,target=rel", "invalid mount path: 'rel' mount path must be absolute")),
        ]
        for (spec, message) in bad {
            XCTAssertEqual(errorMessage { _ = try MountRequest.parseMount(spec) }, message, spec)
        }
    }

    func testTmpfsFlag() throws {
        XCTAssertEqual(try MountRequest.parseTmpfs("/run"),
                       MountRequest(kind: .tmpfs, source: nil, destination: "/run", options: ["noexec", "nosuid", "nodev"]))
        XCTAssertEqual(try MountRequest.parseTmpfs("/run:rw,size=64m,exec"),
                       MountRequest(kind: .tmpfs, source: nil, destination: "/run", options: ["nosuid", "nodev", "size=64m", "exec"]))
        XCTAssertEqual(try MountRequest.parseTmpfs("/run:ro").readOnly, true)
        XCTAssertEqual(errorMessage { _ = try MountRequest.parseTmpfs("run") }, "invalid tmpfs destination: 'run'")
        XCTAssertEqual(errorMessage { _ = try MountRequest.parseTmpfs("/") }, "invalid specification: destination can't be '/'")
    }
}

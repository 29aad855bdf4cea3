import ContainerEngine
import Diagnostics
import EngineSpec
import EngineState
import Foundation
import ImageArchive
import ImageSpec
import LayerArchive
import LinuxSyscalls
import XCTest

/// `Engine.create`/`remove`/`refresh` on a temporary root with a one-file image: no container
/// runs (the runtime and monitor paths are never used), so no root is needed.
final class EngineCreateTests: XCTestCase {
    var directory = ""
    var engine: Engine!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("berth-engine-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory + "/tree/etc", withIntermediateDirectories: true)
        try "root:x:0:0:root:/root:/bin/sh\n".write(toFile: directory + "/tree/etc/passwd", atomically: true, encoding: .utf8)
        let tar = Process()
        tar.executableURL = URL(fileURLWithPath: "/bin/tar")
        tar.arguments = ["-C", directory + "/tree", "-cf", directory + "/image.tar", "."]
        try tar.run()
        tar.waitUntilExit()
        engine = try Engine(root: directory + "/root", runtimePath: "/bin/false", monitorPath: "/bin/false")
        _ = try ImageImporter(store: engine.images).importTarball(
            source: try FileByteSource(path: directory + "/image.tar"), reference: try ImageReference(parsing: "test/image:1"),
            changes: ["VOLUME /cache", "CMD [\"sh\"]", "ENV FROM_IMAGE=1 SHARED=image"])
    }

    override func tearDownWithError() throws {
        try? engine?.reset()   // a network made by a test goes with its bridge and iptables chains
        try? FileManager.default.removeItem(atPath: directory)
    }

    func request(_ configure: (inout RunOptions) -> Void = { _ in }) -> CreateRequest {
        var options = RunOptions()
        options.network = "none"   // no bridge or iptables chains for these tests
        configure(&options)
        return CreateRequest(image: "test/image:1", options: options, callerEnvironment: ["FROM_CALLER": "yes"])
    }

    func testCreateFoldsTheEnvironmentAndMakesVolumes() throws {
        try "SHARED=file\nFROM_CALLER\n".write(toFile: directory + "/env.list", atomically: true, encoding: .utf8)
        let record = try engine.create(request {
            $0.env = ["SHARED=flag", "FROM_CALLER", "UNSET_NAME"]
            $0.envFiles = [directory + "/env.list"]
            $0.volumes = ["named:/named", "/anonymous"]
            $0.command = ["echo", "hi there"]
        })
        XCTAssertEqual(record.state, .created)
        let settings = try engine.settings(of: record)
        XCTAssertEqual(settings.path, "echo")
        XCTAssertEqual(settings.args, ["hi there"])
        XCTAssertTrue(settings.env.contains("SHARED=flag"), "\(settings.env)")
        XCTAssertTrue(settings.env.contains("FROM_CALLER=yes"))
        XCTAssertTrue(settings.env.contains("FROM_IMAGE=1"))
        XCTAssertFalse(settings.env.contains { $0.hasPrefix("UNSET_NAME") })
        XCTAssertEqual(settings.options.envFiles, [])
        // named, the -v /anonymous one and the image's VOLUME /cache
        XCTAssertEqual(settings.anonymousVolumes.count, 2)
        XCTAssertEqual(Set(try engine.volumes.list().map(\.name)), Set(["named"] + settings.anonymousVolumes))
        XCTAssertTrue(settings.options.volumes.contains { $0.hasSuffix(":/cache") })
    }

    func testBadFlagValuesCreateNothing() throws {
        for configure: (inout RunOptions) -> Void in [{ $0.memory = "12q" }, { $0.cpus = "-1" }, { $0.volumes = ["/a:"] }] {
            XCTAssertThrowsError(try engine.create(request(configure))) { error in
                XCTAssertEqual((error as? BerthError)?.code, .invalidArgument, "\(error)")
            }
        }
        XCTAssertEqual(try engine.containers.list().count, 0)
        XCTAssertEqual(try engine.volumes.list().count, 0)
    }

    func testUnknownImageAndRestartWithRm() throws {
        var unknown = request()
        unknown.image = "nope:1"
        XCTAssertThrowsError(try engine.create(unknown)) { XCTAssertEqual(($0 as? BerthError)?.code, .notFound) }
        var conflicting = request()
        conflicting.autoRemove = true
        conflicting.restartPolicy = "always"
        XCTAssertThrowsError(try engine.create(conflicting)) { XCTAssertEqual(($0 as? BerthError)?.code, .invalidArgument) }
        XCTAssertEqual(try engine.containers.list().count, 0)
    }

    func testNameInUseLeavesNoVolumesBehind() throws {
        var first = request { $0.volumes = ["/data"] }
        first.name = "web"
        _ = try engine.create(first)
        let volumes = try engine.volumes.list().count
        XCTAssertThrowsError(try engine.create(first)) { XCTAssertEqual(($0 as? BerthError)?.code, .alreadyExists) }
        XCTAssertEqual(try engine.volumes.list().count, volumes)
        XCTAssertEqual(try engine.containers.list().count, 1)
    }

    func testRemoveWithVolumesRemovesOnlyAnonymousOnes() throws {
        let record = try engine.create(request { $0.volumes = ["keep:/keep", "/gone"] })
        _ = try engine.remove(record.id, volumes: true)
        XCTAssertThrowsError(try engine.containers.load(record.id))
        XCTAssertFalse(FileManager.default.fileExists(atPath: engine.directory(record.id)))
        XCTAssertEqual(try engine.volumes.list().map(\.name), ["keep"])
    }

    func testRefreshRepairsARecordWhoseMonitorIsGone() throws {
        let record = try engine.create(request())
        let dead = try Self.deadPid()
        try engine.containers.update(record.id) {
            $0.state = .running
            $0.pid = dead
            $0.pidStartTime = 1
            $0.monitorPid = dead
            $0.monitorStartTime = 1
        }
        let repaired = try engine.container(record.id)
        XCTAssertEqual(repaired.state, .exited)
        XCTAssertEqual(repaired.exitCode, 137)
        XCTAssertEqual(repaired.monitorPid, 0)
        XCTAssertEqual(repaired.pid, 0)
        XCTAssertNotNil(repaired.error)
        XCTAssertNotNil(repaired.finishedAt)
    }

    func testStartFailureStatusFollowsDocker() {
        XCTAssertEqual(Engine.startFailureStatus("exec: \"nope\": executable file not found in $PATH"), 127)
        XCTAssertEqual(Engine.startFailureStatus("exec /etc: permission denied"), 126)
        XCTAssertEqual(Engine.startFailureStatus("mount /proc: device busy"), 125)
    }

    /// A pid that just exited and was reaped.
    static func deadPid() throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/true")
        try process.run()
        process.waitUntilExit()
        return process.processIdentifier
    }
}

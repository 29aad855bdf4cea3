import Foundation
import ImageSpec

/// Hand-made archives and layouts for the load tests.
enum ArchiveFixtures {
    /// A one-file layer tar.
    static func layer(_ name: String = "hello.txt", text: String = "hello\n") -> [UInt8] {
        var tar = TestTar()
        tar.add(name, text: text)
        return tar.archive
    }

    /// An image config for `layers` (uncompressed tars).
    static func config(diffIDs: [Digest], cmd: [String] = ["/bin/sh"]) throws -> [UInt8] {
        try jsonBytes([
            "architecture": Platform.host.architecture, "os": "linux", "created": "2024-01-01T00:00:00Z",
            "config": ["Cmd": cmd],
            "rootfs": ["type": "layers", "diff_ids": diffIDs.map(\.string)],
        ] as [String: Any])
    }

    /// A docker-archive (docker 25's naming unless `configName` says otherwise).
    static func dockerArchive(layers: [[UInt8]] = [layer()], repoTags: [String]? = ["fixture:1"],
                              configBytes: [UInt8]? = nil, configName: String? = nil,
                              layerNames: [String]? = nil) throws -> TestTar {
        let config = try configBytes ?? config(diffIDs: layers.map { Digest.sha256(of: $0) })
        let configMember = configName ?? "blobs/sha256/\(Digest.sha256(of: config).hex)"
        let names = layerNames ?? layers.map { "blobs/sha256/\(Digest.sha256(of: $0).hex)" }
        var entry: [String: Any] = ["Config": configMember, "Layers": names]
        if let repoTags { entry["RepoTags"] = repoTags }
        var tar = TestTar()
        tar.add("manifest.json", try jsonBytes([entry]))
        tar.add(configMember, config)
        for (name, layer) in zip(names, layers) { tar.add(name, layer) }
        return tar
    }

    /// An OCI image layout's files: name → content. `layerMediaType` goes with `layerBlobs`
    /// (compressed or not); `diffIDs` are of the uncompressed tars.
    static func ociLayout(layerBlobs: [[UInt8]], diffIDs: [Digest], layerMediaType: String = MediaType.ociLayer,
                          annotations: [String: String]? = ["io.containerd.image.name": "localhost/fixture:oci"])
        throws -> (files: [(String, [UInt8])], manifest: Digest, config: Digest) {
        let config = try config(diffIDs: diffIDs)
        let configDigest = Digest.sha256(of: config)
        let manifest = try jsonBytes([
            "schemaVersion": 2, "mediaType": MediaType.ociManifest,
            "config": ["mediaType": MediaType.ociConfig, "digest": configDigest.string, "size": config.count],
            "layers": layerBlobs.map { ["mediaType": layerMediaType, "digest": Digest.sha256(of: $0).string, "size": $0.count] },
        ] as [String: Any])
        let manifestDigest = Digest.sha256(of: manifest)
        var entry: [String: Any] = ["mediaType": MediaType.ociManifest, "digest": manifestDigest.string, "size": manifest.count]
        if let annotations { entry["annotations"] = annotations }
        let index = try jsonBytes(["schemaVersion": 2, "manifests": [entry]] as [String: Any])
        var files: [(String, [UInt8])] = [
            ("oci-layout", Array(#"{"imageLayoutVersion":"1.0.0"}"#.utf8)), ("index.json", index),
            ("blobs/sha256/\(manifestDigest.hex)", manifest), ("blobs/sha256/\(configDigest.hex)", config),
        ]
        for blob in layerBlobs { files.append(("blobs/sha256/\(Digest.sha256(of: blob).hex)", blob)) }
        return (files, manifestDigest, configDigest)
    }

    /// Writes layout files into a directory.
    static func writeLayout(_ files: [(String, [UInt8])], to directory: String) throws {
        for (name, bytes) in files {
            let path = "\(directory)/\(name)"
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try writeBytes(bytes, to: path)
        }
    }

    /// gzip -n of `bytes`.
    static func gzip(_ bytes: [UInt8]) throws -> [UInt8] {
        let input = "/tmp/berth-archive-test-gzip-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
        try writeBytes(bytes, to: input)
        defer { try? FileManager.default.removeItem(atPath: input) }
        let result = try runProgram(which("gzip") ?? "/bin/gzip", ["-c", "-n", input])
        guard result.status == 0 else { throw CocoaError(.fileWriteUnknown) }
        return result.bytes
    }
}

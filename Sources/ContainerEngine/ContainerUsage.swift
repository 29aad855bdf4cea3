import EngineState
import LiteJSON

/// Which containers use an image or a volume: what `rmi`, `image prune` and `volume rm|prune` ask
/// before they remove anything.
public enum ContainerUsage {
    /// Containers made from the image with config digest `imageID`.
    public static func containers(usingImage imageID: String, root: String) throws -> [ContainerRecord] {
        try ContainerStore(root: root).list().filter { $0.imageID == imageID }
    }

    /// Ids of the containers that mount the volume `name`.
    public static func containers(usingVolume name: String, root: String) throws -> [String] {
        try ContainerStore(root: root).list().filter { record in
            guard let settings = try? LiteJSONDecoder().decode(ContainerSettings.self, from: record.config) else { return false }
            return settings.volumes.values.contains(name)
        }.map(\.id)
    }

    /// Config digests of every image some container was made from.
    public static func imagesInUse(root: String) throws -> Set<String> {
        Set(try ContainerStore(root: root).list().map(\.imageID))
    }
}

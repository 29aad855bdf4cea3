import ImageSpec
import ImageStore

/// One image `load` added to the store, under one name or, for an untagged image, none.
public struct LoadedImage: Sendable {
    /// The name it was loaded as; nil when the archive named it by id only.
    public var reference: ImageReference?
    /// The image as the store now holds it.
    public var image: StoredImage

    /// docker's line for it: `Loaded image: busybox:latest` or `Loaded image ID: sha256:…`.
    public var message: String {
        if let reference { return "Loaded image: \(reference.familiar)" }
        return "Loaded image ID: \(image.id)"
    }
}

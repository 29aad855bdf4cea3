import ImageSpec
import LiteJSON

enum LiteJSONDecoderShim {
    static func decode(_ text: String) throws -> ImageConfiguration {
        try LiteJSONDecoder().decode(ImageConfiguration.self, from: Array(text.utf8))
    }
}

import NIOCore
import PostgresNIO

/// A `text[]` parameter whose elements may be NULL (PostgresNIO encodes arrays of non-optional
/// elements only): PostgreSQL's binary array format with a length of -1 for each NULL.
public struct NullableTextArray: PostgresNonThrowingEncodable, Sendable {
    public static var psqlType: PostgresDataType { .textArray }
    public static var psqlFormat: PostgresFormat { .binary }

    /// The elements, nil for NULL.
    public var elements: [String?]

    /// An array of `elements`.
    public init(_ elements: [String?]) {
        self.elements = elements
    }

    public func encode<JSONEncoder: PostgresJSONEncoder>(into buffer: inout ByteBuffer, context: PostgresEncodingContext<JSONEncoder>) {
        buffer.writeInteger(elements.isEmpty ? 0 : 1, as: Int32.self)  // dimensions
        buffer.writeInteger(elements.contains(nil) ? 1 : 0, as: Int32.self)  // has NULLs
        buffer.writeInteger(PostgresDataType.text.rawValue)
        guard !elements.isEmpty else { return }
        buffer.writeInteger(Int32(elements.count))
        buffer.writeInteger(1, as: Int32.self)  // lower bound
        for element in elements {
            guard let element else {
                buffer.writeInteger(-1, as: Int32.self)
                continue
            }
            let lengthIndex = buffer.writerIndex
            buffer.writeInteger(0, as: Int32.self)
            let written = buffer.writeString(element)
            buffer.setInteger(Int32(written), at: lengthIndex)
        }
    }
}

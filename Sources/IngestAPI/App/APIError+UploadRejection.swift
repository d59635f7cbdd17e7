import Shared

/// The request-body readers of the import routes (`MultipartFileBody`) refuse a body with an
/// ``APIError``; the importer throws it on unchanged, to be answered as it is.
extension APIError: UploadRejection {}

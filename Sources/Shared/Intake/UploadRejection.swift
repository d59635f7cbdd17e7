/// An error that an upload's byte stream throws on purpose, e.g. a multipart body without the
/// expected file field: ``CSVImportService`` throws it on as it is (the edge answers it), where any
/// other error of the stream ends the import as an upload that broke off.
public protocol UploadRejection: Error {}

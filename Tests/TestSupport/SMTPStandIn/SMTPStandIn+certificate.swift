import Crypto
import Foundation
import NIOSSL
import SwiftASN1
import X509

extension SMTPStandIn {
    /// A self-signed certificate for `localhost` and `127.0.0.1`, made for one stand-in (P-256,
    /// valid from an hour ago for a day), and its private key.
    public struct Certificate: Sendable {
        /// The certificate in PEM: what a client must trust to talk TLS with the stand-in.
        public let pem: String
        /// The server's TLS context.
        let context: NIOSSLContext

        /// A new certificate and key.
        public init() throws {
            let key = P256.Signing.PrivateKey()
            let name = try DistinguishedName { CommonName("SMTP stand-in") }
            let now = Date()
            let certificate = try X509.Certificate(
                version: .v3,
                serialNumber: X509.Certificate.SerialNumber(),
                publicKey: .init(key.publicKey),
                notValidBefore: now.addingTimeInterval(-3_600),
                notValidAfter: now.addingTimeInterval(86_400),
                issuer: name,
                subject: name,
                signatureAlgorithm: .ecdsaWithSHA256,
                extensions: try X509.Certificate.Extensions {
                    SubjectAlternativeNames([.dnsName("localhost"), .ipAddress(ASN1OctetString(contentBytes: [127, 0, 0, 1]))])
                },
                issuerPrivateKey: .init(key)
            )
            pem = try certificate.serializeAsPEM().pemString
            let configuration = TLSConfiguration.makeServerConfiguration(
                certificateChain: [.certificate(try NIOSSLCertificate(bytes: Array(pem.utf8), format: .pem))],
                privateKey: .privateKey(try NIOSSLPrivateKey(bytes: Array(key.pemRepresentation.utf8), format: .pem))
            )
            context = try NIOSSLContext(configuration: configuration)
        }
    }
}

#include "media_test_support.h"

#include <gtest/gtest.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>

namespace aero::packager::testing {
namespace {

EVP_PKEY* NewKey() {
  return EVP_EC_gen("P-256");
}

X509* SelfSigned(EVP_PKEY* key) {
  X509* certificate = X509_new();
  X509_set_version(certificate, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(certificate), 7);
  X509_gmtime_adj(X509_getm_notBefore(certificate), 0);
  X509_gmtime_adj(X509_getm_notAfter(certificate), 3600);
  X509_set_pubkey(certificate, key);
  X509_NAME* name = X509_get_subject_name(certificate);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("packager test"), -1, -1, 0);
  X509_set_issuer_name(certificate, name);
  EXPECT_GT(X509_sign(certificate, key, EVP_sha256()), 0);
  return certificate;
}

template <typename T, typename Encode>
std::vector<std::uint8_t> Der(T* object, Encode encode) {
  unsigned char* bytes = nullptr;
  const int length = encode(object, &bytes);
  EXPECT_GT(length, 0);
  std::vector<std::uint8_t> out(bytes, bytes + std::max(length, 0));
  OPENSSL_free(bytes);
  return out;
}

}  // namespace

std::string PackageInf(const std::string& name, const std::string& arch) {
  return "[Version]\r\n"
         "Signature = \"$WINDOWS NT$\"\r\n"
         "CatalogFile = " +
         name +
         ".cat\r\n"
         "DriverVer = 01/01/2024,0.1.0.0\r\n"
         "[SourceDisksNames]\r\n"
         "1 = \"disk\"\r\n"
         "[SourceDisksFiles." +
         arch + "]\r\n" + name +
         ".sys = 1\r\n"
         "[Manufacturer]\r\n"
         "Aero = Aero, NT" +
         arch +
         "\r\n"
         "[Aero.NT" +
         arch +
         "]\r\n"
         "Device = Install, PCI\\VEN_1AF4&DEV_1042\r\n"
         "[Install.NT]\r\n"
         "CopyFiles = @" +
         name + ".sys\r\n";
}

void WriteDriverPackage(const TempDir& dir, const std::string& root, const std::string& name,
                        const std::string& arch) {
  const std::string folder = root + "/" + name + "/" + arch + "/";
  dir.Write(folder + name + ".inf", PackageInf(name, arch));
  dir.Write(folder + name + ".sys", "driver image for " + arch);
  dir.Write(folder + name + ".cat", "catalog for " + arch);
}

std::vector<std::uint8_t> CertificateDer() {
  EVP_PKEY* key = NewKey();
  X509* certificate = SelfSigned(key);
  std::vector<std::uint8_t> der = Der(certificate, i2d_X509);
  X509_free(certificate);
  EVP_PKEY_free(key);
  return der;
}

std::vector<std::uint8_t> Pkcs12Der() {
  EVP_PKEY* key = NewKey();
  X509* certificate = SelfSigned(key);
  PKCS12* p12 = PKCS12_create("test", "test", key, certificate, nullptr, 0, 0, 0, 0, 0);
  EXPECT_NE(p12, nullptr);
  std::vector<std::uint8_t> der = Der(p12, i2d_PKCS12);
  PKCS12_free(p12);
  X509_free(certificate);
  EVP_PKEY_free(key);
  return der;
}

MediaRequest SampleRequest(const TempDir& dir) {
  WriteDriverPackage(dir, "packages", "aero_virtio_blk", "amd64");
  WriteDriverPackage(dir, "packages", "aero_virtio_blk", "x86");
  const std::vector<std::uint8_t> certificate = CertificateDer();
  MediaRequest request;
  request.iso = dir.path() / "out" / "aero-guest-tools.iso";
  request.zip = dir.path() / "out" / "aero-guest-tools.zip";
  request.driver_packages = dir.path() / "packages";
  request.files = {
      {"README.txt", dir.Write("inputs/README.txt", "Read me.\r\n")},
      {"setup.cmd", dir.Write("inputs/setup.cmd", "@echo off\r\nsetlocal\r\n")},
      {"config/devices.cmd", dir.Write("inputs/devices.cmd", "set AERO_X=1\r\n")},
      {"certs/aero-test-root.cer", dir.Write("inputs/root.cer", certificate)},
      {"certs/aero-test-publisher.cer", dir.Write("inputs/publisher.cer", certificate)},
  };
  request.manifest.version = "0.1.0";
  request.manifest.build_id = "test-build";
  request.manifest.source_date_epoch = 1700000000;
  request.manifest.signing = {{"identity", "generated-test-identity"},
                              {"file_digests", "sha1"},
                              {"catalog_digest", "sha1"}};
  request.xorriso = AERO_XORRISO;
  return request;
}

}  // namespace aero::packager::testing

// Inputs for the packager tests: driver package folders, certificates, PKCS#12 blobs.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "media_builder.h"
#include "test_files.h"

namespace aero::packager::testing {

using catalog::testing::TempDir;

// An INF naming <name>.cat and referencing <name>.sys for `arch` ("x86" or "amd64").
std::string PackageInf(const std::string& name, const std::string& arch);

// Writes <root>/<name>/<arch>/ with the INF, a .sys and a .cat (contents need not be signed:
// the packager checks the package's shape, the signing tests check the signatures).
void WriteDriverPackage(const TempDir& dir, const std::string& root, const std::string& name,
                        const std::string& arch);

// A self-signed EC certificate, DER.
std::vector<std::uint8_t> CertificateDer();
// A PKCS#12 container with a fresh key and its certificate, password "test".
std::vector<std::uint8_t> Pkcs12Der();

// A complete request whose inputs live in `dir`: one driver package (both architectures), a
// README, a setup script and the two certificates; outputs in dir/out.
MediaRequest SampleRequest(const TempDir& dir);

}  // namespace aero::packager::testing

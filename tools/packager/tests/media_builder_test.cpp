#include "media_builder.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "digest.h"
#include "error.h"
#include "file_io.h"
#include "media_test_support.h"
#include "packager_cli.h"

namespace aero::packager {
namespace {

using testing::SampleRequest;
using testing::TempDir;

std::string ErrorOf(const MediaRequest& request) {
  try {
    BuildMedia(request);
  } catch (const catalog::Error& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(MediaBuilderTest, WritesBothOutputsAndTheManifest) {
  TempDir dir;
  const MediaRequest request = SampleRequest(dir);
  const MediaResult result = BuildMedia(request);
  EXPECT_EQ(result.media_paths,
            (std::vector<std::string>{
                "README.txt", "certs/aero-test-publisher.cer", "certs/aero-test-root.cer",
                "config/devices.cmd", "drivers/aero_virtio_blk/amd64/aero_virtio_blk.cat",
                "drivers/aero_virtio_blk/amd64/aero_virtio_blk.inf",
                "drivers/aero_virtio_blk/amd64/aero_virtio_blk.sys",
                "drivers/aero_virtio_blk/x86/aero_virtio_blk.cat",
                "drivers/aero_virtio_blk/x86/aero_virtio_blk.inf",
                "drivers/aero_virtio_blk/x86/aero_virtio_blk.sys", "manifest.json", "setup.cmd"}));
  EXPECT_TRUE(std::filesystem::is_regular_file(request.iso));
  EXPECT_TRUE(std::filesystem::is_regular_file(request.zip));
  EXPECT_EQ(result.drivers.size(), 1u);
}

TEST(MediaBuilderTest, LeavesNoTemporaryFilesAndIsRepeatable) {
  TempDir dir;
  const MediaRequest request = SampleRequest(dir);
  BuildMedia(request);
  const std::vector<std::uint8_t> iso = catalog::ReadRegularFile(request.iso);
  const std::vector<std::uint8_t> zip = catalog::ReadRegularFile(request.zip);
  BuildMedia(request);
  EXPECT_EQ(catalog::ReadRegularFile(request.iso), iso);
  EXPECT_EQ(catalog::ReadRegularFile(request.zip), zip);
  std::vector<std::string> outputs;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path() / "out")) {
    outputs.push_back(entry.path().filename().string());
  }
  std::sort(outputs.begin(), outputs.end());
  EXPECT_EQ(outputs, (std::vector<std::string>{"aero-guest-tools.iso", "aero-guest-tools.zip"}));
}

TEST(MediaBuilderTest, FailureChangesNoOutput) {
  TempDir dir;
  MediaRequest request = SampleRequest(dir);
  BuildMedia(request);
  const std::vector<std::uint8_t> iso = catalog::ReadRegularFile(request.iso);
  request.files.emplace_back("notes.txt", dir.Write("inputs/key.txt",
                                                    "-----BEGIN "
                                                    "PRIVATE KEY-----"));
  request.manifest.build_id = "other";
  EXPECT_NE(ErrorOf(request).find("private key"), std::string::npos);
  EXPECT_EQ(catalog::ReadRegularFile(request.iso), iso);
  request.files.pop_back();
  request.xorriso = "/nonexistent/xorriso";
  EXPECT_NE(ErrorOf(request).find("cannot run"), std::string::npos);
  EXPECT_EQ(catalog::ReadRegularFile(request.iso), iso);
  std::size_t entries = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path() / "out")) {
    (void)entry;
    ++entries;
  }
  EXPECT_EQ(entries, 2u);
}

TEST(MediaBuilderTest, RefusesReservedAndCollidingPaths) {
  TempDir dir;
  MediaRequest request = SampleRequest(dir);
  request.files.emplace_back("Manifest.JSON", dir.Write("inputs/m.txt", "{}"));
  EXPECT_NE(ErrorOf(request).find("reserved"), std::string::npos);
  request = SampleRequest(dir);
  request.files.emplace_back("drivers/extra.txt", dir.Write("inputs/e.txt", "x"));
  EXPECT_NE(ErrorOf(request).find("reserved"), std::string::npos);
  request = SampleRequest(dir);
  request.files.emplace_back("readme.TXT", dir.Write("inputs/r.txt", "x"));
  EXPECT_NE(ErrorOf(request).find("two files want"), std::string::npos);
  request = SampleRequest(dir);
  request.files.emplace_back("setup.cmd/inner.txt", dir.Write("inputs/i.txt", "x"));
  EXPECT_NE(ErrorOf(request).find("both a file and a folder"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(request.iso));
}

TEST(MediaBuilderTest, WorksWithoutDrivers) {
  TempDir dir;
  MediaRequest request = SampleRequest(dir);
  request.driver_packages.clear();
  const MediaResult result = BuildMedia(request);
  EXPECT_EQ(result.media_paths.size(), 6u);
  EXPECT_TRUE(result.drivers.empty());
}

TEST(MediaBuilderTest, CommandLine) {
  TempDir dir;
  const MediaRequest sample = SampleRequest(dir);
  std::vector<std::string> args = {"--iso",
                                   sample.iso.string(),
                                   "--zip",
                                   sample.zip.string(),
                                   "--version",
                                   "0.1.0",
                                   "--build-id",
                                   "cli",
                                   "--source-date-epoch",
                                   "1700000000",
                                   "--driver-packages",
                                   sample.driver_packages.string(),
                                   "--xorriso",
                                   AERO_XORRISO,
                                   "--signing",
                                   "identity=generated-test-identity",
                                   "--signing",
                                   "file_digests=sha1",
                                   "--signing",
                                   "catalog_digest=sha1"};
  for (const auto& [media_path, source] : sample.files) {
    args.push_back("--file");
    args.push_back(media_path + "=" + source.string());
  }
  std::ostringstream out;
  std::ostringstream err;
  ASSERT_EQ(RunPackager(args, out, err), 0) << err.str();
  EXPECT_NE(out.str().find("12 files, 1 driver packages"), std::string::npos) << out.str();

  std::vector<std::string> missing_epoch(args.begin(), args.begin() + 8);
  EXPECT_EQ(RunPackager(missing_epoch, out, err), 2);
  std::vector<std::string> bad_file = args;
  bad_file.push_back("--file");
  bad_file.push_back("no-equals-sign");
  EXPECT_EQ(RunPackager(bad_file, out, err), 2);
  std::vector<std::string> no_signing(args.begin(), args.begin() + 14);
  std::ostringstream no_signing_err;
  EXPECT_EQ(RunPackager(no_signing, out, no_signing_err), 1);
  EXPECT_NE(no_signing_err.str().find("signing entry 'identity'"), std::string::npos)
      << no_signing_err.str();
}

}  // namespace
}  // namespace aero::packager

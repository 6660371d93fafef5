#include "media_inputs.h"

#include <gtest/gtest.h>

#include <functional>

#include "error.h"
#include "media_test_support.h"

namespace aero::packager {
namespace {

using testing::TempDir;

std::string ErrorOf(const std::function<void()>& action) {
  try {
    action();
  } catch (const catalog::Error& e) {
    return e.what();
  }
  return "(no error)";
}

std::string ReadError(const std::string& media_path, const std::filesystem::path& source) {
  return ErrorOf([&] { ReadMediaFile(media_path, source); });
}

std::string PackagesError(const std::filesystem::path& root) {
  return ErrorOf([&] {
    std::vector<DriverSummary> summary;
    ReadDriverPackages(root, &summary);
  });
}

TEST(MediaInputsTest, MediaPathsAreRelativePlainNames) {
  CheckMediaPath("README.txt");
  CheckMediaPath("drivers/aero_virtio_blk/amd64/aero_virtio_blk.sys");
  for (const char* bad : {"", "/abs.txt", "a//b.txt", "../x.txt", "a/./b.txt", "a\\b.txt",
                          "c:/x.txt", "a/b/", "x.txt."}) {
    EXPECT_THROW(CheckMediaPath(bad), catalog::Error) << bad;
  }
  EXPECT_THROW(CheckMediaPath(std::string(201, 'a')), catalog::Error);
  EXPECT_THROW(CheckMediaPath("a/b/c/d/e/f/g/h/i.txt"), catalog::Error);
}

TEST(MediaInputsTest, RefusesPrivateKeysByNameAndContent) {
  TempDir dir;
  EXPECT_NE(ReadError("certs/x.cer", dir.Write("signing.pfx", "whatever"))
                .find("marks a private key container"),
            std::string::npos);
  EXPECT_NE(ReadError("README.txt", dir.Write("notes.txt",
                                              "-----BEGIN "
                                              "PRIVATE KEY-----\nMII\n"))
                .find("contains a PEM private key block"),
            std::string::npos);
  EXPECT_NE(ReadError("README.txt", dir.Write("rsa.txt",
                                              "-----BEGIN RSA "
                                              "PRIVATE KEY-----\n"))
                .find("private keys never go onto the media"),
            std::string::npos);
  EXPECT_NE(
      ReadError("certs/root.cer", dir.Write("root.cer", testing::Pkcs12Der())).find("PKCS#12"),
      std::string::npos);
  const std::vector<std::uint8_t> pvk = {0x1e, 0xf1, 0xb5, 0xb0, 0, 0, 0, 0};
  EXPECT_NE(ReadError("x.sys", dir.Write("x.sys", pvk)).find("PVK"), std::string::npos);
  for (const char* name : {"a.p12", "a.key", "a.pvk", "A.PFX"}) {
    EXPECT_NE(ReadError("a.txt", dir.Write(name, "x")).find("private key"), std::string::npos)
        << name;
  }
}

TEST(MediaInputsTest, RefusesLinksAndUnexpectedTypes) {
  TempDir dir;
  const auto target = dir.Write("real.txt", "text");
  std::filesystem::create_symlink(target, dir.path() / "link.txt");
  EXPECT_NE(ReadError("README.txt", dir.path() / "link.txt").find("symbolic link"),
            std::string::npos);
  EXPECT_NE(ReadError("README.txt", dir.path()).find("not a regular file"), std::string::npos);
  EXPECT_NE(ReadError("tool.exe", dir.Write("tool.exe", "MZ")).find("unexpected file"),
            std::string::npos);
  EXPECT_NE(ReadError("README.md", dir.Write("README.md", "# x")).find("unexpected file"),
            std::string::npos);
  EXPECT_NE(ReadError("certs/a.cer", dir.Write("a.cer", "not a certificate"))
                .find("not one DER-encoded X.509 certificate"),
            std::string::npos);
  std::vector<std::uint8_t> trailing = testing::CertificateDer();
  trailing.push_back(0);
  EXPECT_NE(ReadError("certs/b.cer", dir.Write("b.cer", trailing)).find("X.509"),
            std::string::npos);
  const MediaFile ok = ReadMediaFile("certs/c.cer", dir.Write("c.cer", testing::CertificateDer()));
  EXPECT_EQ(ok.media_path, "certs/c.cer");
}

TEST(MediaInputsTest, ReadsWellFormedDriverPackages) {
  TempDir dir;
  testing::WriteDriverPackage(dir, "p", "aero_virtio_net", "x86");
  testing::WriteDriverPackage(dir, "p", "aero_virtio_blk", "amd64");
  testing::WriteDriverPackage(dir, "p", "aero_virtio_blk", "x86");
  std::vector<DriverSummary> summary;
  const std::vector<MediaFile> files = ReadDriverPackages(dir.path() / "p", &summary);
  ASSERT_EQ(summary.size(), 2u);
  EXPECT_EQ(summary[0].name, "aero_virtio_blk");
  EXPECT_EQ(summary[0].architectures, (std::vector<std::string>{"amd64", "x86"}));
  EXPECT_EQ(summary[1].architectures, (std::vector<std::string>{"x86"}));
  ASSERT_EQ(files.size(), 9u);
  EXPECT_EQ(files[0].media_path, "drivers/aero_virtio_blk/amd64/aero_virtio_blk.cat");
}

TEST(MediaInputsTest, RefusesUnexpectedFilesInPackages) {
  TempDir dir;
  testing::WriteDriverPackage(dir, "p", "aero_virtio_blk", "amd64");
  dir.Write("p/aero_virtio_blk/amd64/notes.txt", "left over");
  EXPECT_NE(PackagesError(dir.path() / "p").find("unexpected file"), std::string::npos);
}

TEST(MediaInputsTest, RefusesKeysAndLinksInPackages) {
  TempDir dir;
  testing::WriteDriverPackage(dir, "p", "aero_virtio_blk", "amd64");
  dir.Write("p/aero_virtio_blk/amd64/signing.pfx", testing::Pkcs12Der());
  EXPECT_NE(PackagesError(dir.path() / "p").find("unexpected file"), std::string::npos);

  TempDir linked;
  testing::WriteDriverPackage(linked, "p", "aero_virtio_blk", "amd64");
  const auto sys = linked.path() / "p/aero_virtio_blk/amd64/aero_virtio_blk.sys";
  std::filesystem::rename(sys, linked.path() / "real.sys");
  std::filesystem::create_symlink(linked.path() / "real.sys", sys);
  EXPECT_NE(PackagesError(linked.path() / "p").find("symbolic link"), std::string::npos);
}

TEST(MediaInputsTest, RefusesMisshapenPackageFolders) {
  {
    TempDir dir;
    testing::WriteDriverPackage(dir, "p", "aero_virtio_blk", "amd64");
    std::filesystem::remove(dir.path() / "p/aero_virtio_blk/amd64/aero_virtio_blk.cat");
    EXPECT_NE(PackagesError(dir.path() / "p").find("lacks its catalog"), std::string::npos);
  }
  {
    TempDir dir;
    testing::WriteDriverPackage(dir, "p", "aero_virtio_blk", "amd64");
    std::filesystem::remove(dir.path() / "p/aero_virtio_blk/amd64/aero_virtio_blk.sys");
    EXPECT_NE(PackagesError(dir.path() / "p").find("is not in the package"), std::string::npos);
  }
  {
    TempDir dir;
    testing::WriteDriverPackage(dir, "p", "aero_virtio_blk", "arm64");
    EXPECT_NE(PackagesError(dir.path() / "p").find("only x86/ and amd64/"), std::string::npos);
  }
  {
    TempDir dir;
    testing::WriteDriverPackage(dir, "p", "Aero-Blk", "x86");
    EXPECT_NE(PackagesError(dir.path() / "p").find("named like"), std::string::npos);
  }
  {
    TempDir dir;
    testing::WriteDriverPackage(dir, "p", "aero_virtio_blk", "x86");
    dir.Write("p/aero_virtio_blk/x86/second.inf", testing::PackageInf("second", "x86"));
    EXPECT_NE(PackagesError(dir.path() / "p").find("exactly one INF, not 2"), std::string::npos);
  }
  {
    TempDir dir;
    testing::WriteDriverPackage(dir, "p", "aero_virtio_blk", "x86");
    dir.Write("p/aero_virtio_blk/x86/sub/extra.sys", "x");
    EXPECT_NE(PackagesError(dir.path() / "p").find("hold only files"), std::string::npos);
  }
  {
    TempDir dir;
    dir.Write("p/stray.txt", "x");
    EXPECT_NE(PackagesError(dir.path() / "p").find("unexpected entry"), std::string::npos);
  }
  {
    TempDir dir;
    std::filesystem::create_directories(dir.path() / "p/aero_empty");
    EXPECT_NE(PackagesError(dir.path() / "p").find("has no x86/ or amd64/"), std::string::npos);
  }
  EXPECT_NE(PackagesError("/nonexistent/packages").find("is not a directory"), std::string::npos);
}

}  // namespace
}  // namespace aero::packager

#include "archive_writers.h"

#include <archive.h>
#include <archive_entry.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>

#include "error.h"
#include "file_io.h"
#include "media_test_support.h"
#include "process.h"

namespace aero::packager {
namespace {

using testing::TempDir;

std::vector<MediaFile> Files() {
  return {MediaFile{"README.txt", {}, {'h', 'i'}}, MediaFile{"drivers/a/x86/a.inf", {}, {'[', ']'}},
          MediaFile{"drivers/a/x86/a.sys", {}, std::vector<std::uint8_t>(5000, 0x90)},
          MediaFile{"setup.cmd", {}, {'@'}}};
}

struct ZipEntry {
  std::string path;
  mode_t type = 0;
  mode_t perm = 0;
  std::int64_t mtime = 0;
  std::string data;

  bool operator==(const ZipEntry&) const = default;
};

std::vector<ZipEntry> ReadZip(const std::filesystem::path& path) {
  archive* reader = archive_read_new();
  archive_read_support_format_zip(reader);
  EXPECT_EQ(archive_read_open_filename(reader, path.c_str(), 4096), ARCHIVE_OK);
  std::vector<ZipEntry> entries;
  archive_entry* entry = nullptr;
  while (archive_read_next_header(reader, &entry) == ARCHIVE_OK) {
    ZipEntry item{archive_entry_pathname(entry),
                  archive_entry_filetype(entry),
                  archive_entry_perm(entry),
                  archive_entry_mtime(entry),
                  {}};
    char buffer[4096];
    la_ssize_t n = 0;
    while ((n = archive_read_data(reader, buffer, sizeof(buffer))) > 0) {
      item.data.append(buffer, static_cast<std::size_t>(n));
    }
    entries.push_back(item);
  }
  archive_read_free(reader);
  return entries;
}

TEST(ArchiveWritersTest, ZipHasSortedEntriesWithFixedMetadata) {
  TempDir dir;
  WriteZipArchive(dir.path() / "a.zip", Files(), 1700000000);
  const std::vector<ZipEntry> entries = ReadZip(dir.path() / "a.zip");
  std::vector<std::string> paths;
  for (const ZipEntry& entry : entries) {
    paths.push_back(entry.path);
    EXPECT_EQ(entry.mtime, 1700000000) << entry.path;
    EXPECT_EQ(entry.perm, entry.type == AE_IFDIR ? 0755u : 0644u) << entry.path;
  }
  EXPECT_EQ(paths,
            (std::vector<std::string>{"README.txt", "drivers/", "drivers/a/", "drivers/a/x86/",
                                      "drivers/a/x86/a.inf", "drivers/a/x86/a.sys", "setup.cmd"}));
  EXPECT_EQ(entries[5].data, std::string(5000, '\x90'));
}

TEST(ArchiveWritersTest, ZipBytesDoNotDependOnTheTimeZone) {
  TempDir dir;
  setenv("TZ", "Asia/Tokyo", 1);
  WriteZipArchive(dir.path() / "tokyo.zip", Files(), 1700000000);
  EXPECT_STREQ(std::getenv("TZ"), "Asia/Tokyo");  // restored
  setenv("TZ", "America/Los_Angeles", 1);
  WriteZipArchive(dir.path() / "la.zip", Files(), 1700000000);
  unsetenv("TZ");
  EXPECT_EQ(catalog::ReadRegularFile(dir.path() / "tokyo.zip"),
            catalog::ReadRegularFile(dir.path() / "la.zip"));
}

TEST(ArchiveWritersTest, StagingTreeHasFixedModesAndTimes) {
  TempDir dir;
  const mode_t old_mask = umask(077);
  WriteStagingTree(dir.path() / "tree", Files(), 1700000000);
  umask(old_mask);
  struct stat info {};
  ASSERT_EQ(stat((dir.path() / "tree/drivers/a/x86/a.sys").c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 07777, 0644u);
  EXPECT_EQ(info.st_mtime, 1700000000);
  ASSERT_EQ(stat((dir.path() / "tree/drivers/a").c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 07777, 0755u);
  EXPECT_EQ(info.st_mtime, 1700000000);
  EXPECT_THROW(WriteStagingTree(dir.path() / "tree", Files(), 1), catalog::Error);
}

TEST(ArchiveWritersTest, IsoListsTheSameFilesInJolietAndRockRidge) {
  TempDir dir;
  WriteStagingTree(dir.path() / "tree", Files(), 1700000000);
  WriteIsoImage(AERO_XORRISO, dir.path() / "tree", dir.path() / "a.iso", 1700000000, "AERO_TEST",
                dir.path() / "a.log");
  for (const char* tree : {"-rockridge", "-joliet"}) {
    const std::string other = std::string(tree) == "-joliet" ? "-rockridge" : "-joliet";
    const int status = RunProcess(
        {AERO_XORRISO, "-no_rc", other, "off", tree, "on", "-indev",
         (dir.path() / "a.iso").string(), "-find", "/", "-type", "f", "-exec", "echo", "--"},
        {}, dir.path() / (std::string(tree) + ".txt"));
    ASSERT_EQ(status, 0);
    const std::vector<std::uint8_t> listing =
        catalog::ReadRegularFile(dir.path() / (std::string(tree) + ".txt"));
    const std::string text(listing.begin(), listing.end());
    for (const char* path : {"'/README.txt'", "'/drivers/a/x86/a.sys'", "'/setup.cmd'"}) {
      EXPECT_NE(text.find(path), std::string::npos) << tree << " lacks " << path << ":\n" << text;
    }
  }
}

TEST(ArchiveWritersTest, IsoIsDeterministicAndRefusesBadInput) {
  TempDir dir;
  WriteStagingTree(dir.path() / "t1", Files(), 1700000000);
  WriteStagingTree(dir.path() / "t2", Files(), 1700000000);
  WriteIsoImage(AERO_XORRISO, dir.path() / "t1", dir.path() / "1.iso", 1700000000, "AERO",
                dir.path() / "1.log");
  WriteIsoImage(AERO_XORRISO, dir.path() / "t2", dir.path() / "2.iso", 1700000000, "AERO",
                dir.path() / "2.log");
  EXPECT_EQ(catalog::ReadRegularFile(dir.path() / "1.iso"),
            catalog::ReadRegularFile(dir.path() / "2.iso"));
  EXPECT_THROW(WriteIsoImage(AERO_XORRISO, dir.path() / "t1", dir.path() / "3.iso", 1, "bad id",
                             dir.path() / "3.log"),
               catalog::Error);
  EXPECT_THROW(WriteIsoImage(AERO_XORRISO, dir.path() / "t1", dir.path() / "1.iso", 1, "AERO",
                             dir.path() / "4.log"),
               catalog::Error);  // exists already
  EXPECT_THROW(WriteIsoImage("/nonexistent/xorriso", dir.path() / "t1", dir.path() / "5.iso", 1,
                             "AERO", dir.path() / "5.log"),
               catalog::Error);
}

}  // namespace
}  // namespace aero::packager

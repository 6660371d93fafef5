// The command line in-process: argument handling, output format and exit codes.
#include "cli.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <sstream>

#include "test_config.h"
#include "test_image_builder.h"

namespace aero::pecheck {
namespace {

namespace fs = std::filesystem;
using testing::BuildTestImage;
using testing::DriverSpec;
using testing::FixturePath;

class PecheckCli : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::path(::testing::TempDir()) /
           ("aero_pecheck_cli_" + std::string(info->name()) + "_" + std::to_string(getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string Write(const std::string& name, std::span<const uint8_t> bytes) {
    const std::string path = (dir_ / name).string();
    EXPECT_TRUE(testing::WriteFileAtomically(path, bytes));
    return path;
  }
  std::string WriteText(const std::string& name, const std::string& text) {
    return Write(name, std::span(reinterpret_cast<const uint8_t*>(text.data()), text.size()));
  }
  std::string GoodImage(const std::string& name) {
    return Write(name, BuildTestImage(DriverSpec(Arch::kX64)).bytes);
  }
  std::string WxImage(const std::string& name) {
    testing::TestImageSpec spec = DriverSpec(Arch::kX64);
    spec.text_characteristics |= 0x80000000u;
    return Write(name, BuildTestImage(spec).bytes);
  }

  // The arguments for an x64 driver, before the image paths.
  static std::vector<std::string> DriverArgs() {
    return {
        "--kind",         "kernel-driver",      "--arch",         "x64",
        "--facts",        testing::FactsPath(), "--exports",      FixturePath("x64/ntoskrnl.def"),
        "--allow-module", "ntoskrnl.exe",       "--not-in-facts", FixturePath("not-in-facts.txt")};
  }

  int Run(std::vector<std::string> args) {
    out_.str("");
    err_.str("");
    return RunPecheck(args, out_, err_);
  }
  int RunOn(const std::vector<std::string>& images) {
    std::vector<std::string> args = DriverArgs();
    args.insert(args.end(), images.begin(), images.end());
    return Run(args);
  }

  fs::path dir_;
  std::ostringstream out_;
  std::ostringstream err_;
};

TEST_F(PecheckCli, CleanImageExitsZeroSilently) {
  EXPECT_EQ(RunOn({GoodImage("good.sys")}), kExitClean) << out_.str() << err_.str();
  EXPECT_EQ(out_.str(), "");
  EXPECT_EQ(err_.str(), "");
}

TEST_F(PecheckCli, ViolationsArePrintedOnePerLine) {
  const std::string bad = WxImage("bad.sys");
  EXPECT_EQ(RunOn({bad}), kExitViolations);
  const std::string out = out_.str();
  EXPECT_EQ(out.rfind("aero-pecheck: " + bad + ": sections: ", 0), 0u) << out;
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 1);
  EXPECT_EQ(err_.str(), "");
}

TEST_F(PecheckCli, ChecksEveryImageAndReportsTheWorstStatus) {
  const std::string good = GoodImage("good.sys");
  const std::string bad = WxImage("bad.sys");
  EXPECT_EQ(RunOn({good, bad, good}), kExitViolations);
  EXPECT_EQ(out_.str().find(good), std::string::npos);

  const std::string junk = WriteText("junk.sys", "not a PE file");
  EXPECT_EQ(RunOn({bad, junk}), kExitUsageOrUnreadable);
  EXPECT_NE(out_.str().find(bad), std::string::npos);  // Still checked.
  EXPECT_NE(err_.str().find(junk + ": error: not a usable PE image"), std::string::npos)
      << err_.str();
}

TEST_F(PecheckCli, MissingImageIsExitTwo) {
  const std::string missing = (dir_ / "missing.sys").string();
  EXPECT_EQ(RunOn({missing}), kExitUsageOrUnreadable);
  EXPECT_NE(err_.str().find("cannot open " + missing), std::string::npos) << err_.str();
}

TEST_F(PecheckCli, AcceptsOptionEqualsValue) {
  std::vector<std::string> args = {"--kind=kernel-driver",
                                   "--arch=x64",
                                   "--facts=" + testing::FactsPath(),
                                   "--exports=" + FixturePath("x64/ntoskrnl.def"),
                                   "--allow-module=NTOSKRNL.EXE",
                                   "--not-in-facts=" + FixturePath("not-in-facts.txt"),
                                   "--",
                                   GoodImage("good.sys")};
  EXPECT_EQ(Run(args), kExitClean) << out_.str() << err_.str();
}

TEST_F(PecheckCli, HelpPrintsUsage) {
  EXPECT_EQ(Run({"--help"}), kExitClean);
  EXPECT_NE(out_.str().find("usage: aero-pecheck"), std::string::npos);
}

struct UsageCase {
  std::vector<std::string> drop;  // Option names (with their values) removed from DriverArgs.
  std::vector<std::string> add;
  const char* message;
};

TEST_F(PecheckCli, UsageErrorsExitTwo) {
  const std::string image = GoodImage("good.sys");
  const std::vector<UsageCase> cases = {
      {{"--kind"}, {}, "--kind is required"},
      {{"--arch"}, {}, "--arch is required"},
      {{"--facts"}, {}, "--facts is required"},
      {{}, {"--kind", "driver"}, "--kind must be"},
      {{}, {"--arch", "arm64"}, "--arch must be"},
      {{}, {"--bogus"}, "unknown option"},
      {{}, {"--facts", testing::FactsPath()}, "--facts given twice"},
      {{}, {"--exports"}, "--exports needs a value"},
      {{}, {"--allow-module="}, "needs a non-empty value"},
  };
  for (const UsageCase& c : cases) {
    std::vector<std::string> args;
    const std::vector<std::string> base = DriverArgs();
    for (size_t i = 0; i < base.size(); i += 2) {
      if (std::find(c.drop.begin(), c.drop.end(), base[i]) == c.drop.end()) {
        args.push_back(base[i]);
        args.push_back(base[i + 1]);
      }
    }
    args.push_back(image);
    args.insert(args.end(), c.add.begin(), c.add.end());
    EXPECT_EQ(Run(args), kExitUsageOrUnreadable) << c.message;
    EXPECT_NE(err_.str().find(c.message), std::string::npos) << err_.str();
  }
  EXPECT_EQ(Run(DriverArgs()), kExitUsageOrUnreadable);
  EXPECT_NE(err_.str().find("no image files"), std::string::npos);
}

TEST_F(PecheckCli, BadConfigurationFilesExitTwo) {
  const std::string image = GoodImage("good.sys");
  auto run_with = [&](const std::string& option, const std::string& path) {
    std::vector<std::string> args = {"--kind", "kernel-driver", "--arch",
                                     "x64",    "--facts",       testing::FactsPath()};
    if (option == "--facts") {
      args = {"--kind", "kernel-driver", "--arch", "x64"};
    }
    args.push_back(option);
    args.push_back(path);
    args.push_back(image);
    return Run(args);
  };
  EXPECT_EQ(run_with("--not-in-facts", WriteText("list.txt", "ntoskrnl.exe!DbgPrint\n")),
            kExitUsageOrUnreadable);
  EXPECT_NE(err_.str().find("gives no reason"), std::string::npos) << err_.str();

  EXPECT_EQ(run_with("--exports", WriteText("bad.def", "EXPORTS\nFoo\n")), kExitUsageOrUnreadable);
  EXPECT_NE(err_.str().find("bad.def:1: EXPORTS before LIBRARY"), std::string::npos) << err_.str();

  EXPECT_EQ(run_with("--facts", WriteText("facts.json", "{\"functions\": {}}")),
            kExitUsageOrUnreadable);
  EXPECT_NE(err_.str().find("no \"functions\".x64"), std::string::npos) << err_.str();

  EXPECT_EQ(run_with("--facts", (dir_ / "absent.json").string()), kExitUsageOrUnreadable);
  EXPECT_NE(err_.str().find("cannot open"), std::string::npos) << err_.str();

  std::vector<std::string> twice = DriverArgs();
  twice.insert(twice.end(),
               {"--exports", WriteText("nt2.def", "LIBRARY NTOSKRNL.exe\nEXPORTS\n"), image});
  EXPECT_EQ(Run(twice), kExitUsageOrUnreadable);
  EXPECT_NE(err_.str().find("a second .def"), std::string::npos) << err_.str();
}

}  // namespace
}  // namespace aero::pecheck

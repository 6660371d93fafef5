#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "inf_file.h"
#include "inf_text.h"

namespace aero::inf {
namespace {

InfFile MustParse(std::string_view text, const ParseOptions& options = {}) {
  InfParseResult result = ParseInfText(text, "t.inf", options);
  EXPECT_TRUE(result.ok()) << result.error.ToString();
  return result.ok() ? std::move(*result.inf) : InfFile();
}

std::string ParseError(std::string_view text, const ParseOptions& options = {}) {
  InfParseResult result = ParseInfText(text, "bad.inf", options);
  EXPECT_FALSE(result.ok());
  return result.ok() ? std::string() : result.error.ToString();
}

TEST(InfParser, SectionsKeysAndValues) {
  InfFile inf = MustParse(
      "[Version]\n"
      "Signature = \"$Windows NT$\"\n"
      "Class=SCSIAdapter\n"
      "\n"
      "[Other]\n"
      "a = 1, 2 ,3\n");
  ASSERT_EQ(inf.sections().size(), 2u);
  const InfSection* version = inf.FindSection("VERSION");
  ASSERT_NE(version, nullptr);
  EXPECT_EQ(version->name, "Version");
  EXPECT_EQ(version->line_number, 1);
  ASSERT_EQ(version->lines.size(), 2u);
  EXPECT_EQ(version->lines[0].key, "Signature");
  EXPECT_EQ(version->lines[0].values, std::vector<std::string>{"$Windows NT$"});
  EXPECT_EQ(version->lines[0].line_number, 2);
  EXPECT_EQ(version->lines[1].line_number, 3);
  const InfLine* klass = version->FindKey("class");
  ASSERT_NE(klass, nullptr);
  EXPECT_EQ(klass->values.front(), "SCSIAdapter");
  const InfSection* other = inf.FindSection("other");
  ASSERT_NE(other, nullptr);
  EXPECT_EQ(other->lines[0].values, (std::vector<std::string>{"1", "2", "3"}));
  EXPECT_EQ(other->lines[0].field(0), "a");
  EXPECT_EQ(other->lines[0].field(2), "2");
  EXPECT_EQ(other->lines[0].field(9), "");
  EXPECT_EQ(inf.FindSection("Missing"), nullptr);
}

TEST(InfParser, KeylessLinesAndEmptyFields) {
  InfFile inf = MustParse("[AddReg]\nHKR, , Foo, 0x00010001, 1\nHKR,,Bar,,\"x\"\nKey =\n");
  const InfSection* s = inf.FindSection("AddReg");
  ASSERT_NE(s, nullptr);
  ASSERT_EQ(s->lines.size(), 3u);
  EXPECT_FALSE(s->lines[0].has_key);
  EXPECT_EQ(s->lines[0].values, (std::vector<std::string>{"HKR", "", "Foo", "0x00010001", "1"}));
  EXPECT_EQ(s->lines[1].values, (std::vector<std::string>{"HKR", "", "Bar", "", "x"}));
  EXPECT_TRUE(s->lines[2].has_key);
  EXPECT_TRUE(s->lines[2].values.empty());
}

TEST(InfParser, QuotedStringsKeepCommasSemicolonsAndEscapedQuotes) {
  InfFile inf = MustParse(
      "[S]\n"
      "k = \"a, b; c\", \"say \"\"hi\"\"\" ; comment\n"
      "\"quoted key\" = \"x=y\"\n"
      "keyless, \"=\", z\n");
  const InfSection* s = inf.FindSection("S");
  ASSERT_NE(s, nullptr);
  ASSERT_EQ(s->lines.size(), 3u);
  EXPECT_EQ(s->lines[0].values, (std::vector<std::string>{"a, b; c", "say \"hi\""}));
  EXPECT_EQ(s->lines[1].key, "quoted key");
  EXPECT_EQ(s->lines[1].values, std::vector<std::string>{"x=y"});
  EXPECT_FALSE(s->lines[2].has_key);
  EXPECT_EQ(s->lines[2].values, (std::vector<std::string>{"keyless", "=", "z"}));
}

TEST(InfParser, WhitespaceInsideValuesIsKept) {
  InfFile inf = MustParse("[Svc]\nLoadOrderGroup =   SCSI miniport  \nQ = \"  padded  \"\n");
  const InfSection* s = inf.FindSection("Svc");
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->lines[0].values.front(), "SCSI miniport");
  EXPECT_EQ(s->lines[1].values.front(), "  padded  ");
}

TEST(InfParser, CommentsAreDroppedOutsideQuotes) {
  InfFile inf = MustParse(
      "; leading comment\n"
      "[S] ; header comment\n"
      "   ; indented comment\n"
      "a = 1 ; trailing\n"
      "b = \"1;2\"\n");
  const InfSection* s = inf.FindSection("S");
  ASSERT_NE(s, nullptr);
  ASSERT_EQ(s->lines.size(), 2u);
  EXPECT_EQ(s->lines[0].values.front(), "1");
  EXPECT_EQ(s->lines[0].text, "a = 1");
  EXPECT_EQ(s->lines[1].values.front(), "1;2");
  EXPECT_EQ(s->lines[1].line_number, 5);
}

TEST(InfParser, LineContinuationsJoinLinesAndKeepTheFirstLineNumber) {
  InfFile inf = MustParse(
      "[Models]\n"
      "%Desc% = Install, \\\n"
      "    PCI\\VEN_1AF4&DEV_1042&REV_01, \\ ; comment after the backslash\n"
      "    PCI\\VEN_1AF4&DEV_1042\n"
      "next = 1\n"
      "[Strings]\n"
      "Desc = \"Disk\"\n");
  const InfSection* s = inf.FindSection("Models");
  ASSERT_NE(s, nullptr);
  ASSERT_EQ(s->lines.size(), 2u);
  EXPECT_EQ(s->lines[0].key, "Disk");
  EXPECT_EQ(s->lines[0].values,
            (std::vector<std::string>{"Install", "PCI\\VEN_1AF4&DEV_1042&REV_01",
                                      "PCI\\VEN_1AF4&DEV_1042"}));
  EXPECT_EQ(s->lines[0].line_number, 2);
  EXPECT_EQ(s->lines[0].last_line_number, 4);
  EXPECT_EQ(s->lines[1].line_number, 5);
}

TEST(InfParser, ContinuationOnTheLastLineEndsTheEntry) {
  InfFile inf = MustParse("[S]\na = 1, \\");
  const InfSection* s = inf.FindSection("S");
  ASSERT_NE(s, nullptr);
  ASSERT_EQ(s->lines.size(), 1u);
  EXPECT_EQ(s->lines[0].values, (std::vector<std::string>{"1", ""}));
}

TEST(InfParser, CrlfAndLfGiveTheSameEntriesAndLineNumbers) {
  const std::string lf = "[A]\nx = 1\n\n[B]\ny = \"2\"\n";
  std::string crlf;
  for (char c : lf) {
    if (c == '\n') {
      crlf += '\r';
    }
    crlf += c;
  }
  InfFile a = MustParse(lf);
  InfFile b = MustParse(crlf);
  ASSERT_EQ(a.sections().size(), b.sections().size());
  for (std::size_t i = 0; i < a.sections().size(); ++i) {
    const InfSection& sa = a.sections()[i];
    const InfSection& sb = b.sections()[i];
    EXPECT_EQ(sa.name, sb.name);
    EXPECT_EQ(sa.line_number, sb.line_number);
    ASSERT_EQ(sa.lines.size(), sb.lines.size());
    for (std::size_t j = 0; j < sa.lines.size(); ++j) {
      EXPECT_EQ(sa.lines[j].key, sb.lines[j].key);
      EXPECT_EQ(sa.lines[j].values, sb.lines[j].values);
      EXPECT_EQ(sa.lines[j].line_number, sb.lines[j].line_number);
    }
  }
  EXPECT_EQ(b.FindSection("B")->lines[0].line_number, 5);
}

TEST(InfParser, StringKeysAreSubstituted) {
  InfFile inf = MustParse(
      "[S]\n"
      "%Name% = %Install%, \"%Name% (quoted)\"\n"
      "dir = %12%\\aero.sys\n"
      "pct = 100%%, 50% off, %not a key%\n"
      "[Strings]\n"
      "name = \"Aero Disk\"\n"
      "Install = Inst ; comment\n");
  const InfSection* s = inf.FindSection("S");
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->lines[0].key, "Aero Disk");
  EXPECT_EQ(s->lines[0].values, (std::vector<std::string>{"Inst", "Aero Disk (quoted)"}));
  EXPECT_EQ(s->lines[1].values.front(), "%12%\\aero.sys");
  EXPECT_EQ(s->lines[2].values, (std::vector<std::string>{"100%", "50% off", "%not a key%"}));
  EXPECT_EQ(inf.LookupString("NAME"), "Aero Disk");
  EXPECT_EQ(inf.LookupString("missing"), std::nullopt);
}

TEST(InfParser, StringsValuesKeepCommasAndQuotesAreProcessed) {
  InfFile inf = MustParse("[Strings]\nA = one, two\nB = \"Aero, \"\"quoted\"\"\"\n");
  EXPECT_EQ(inf.LookupString("A"), "one, two");
  EXPECT_EQ(inf.LookupString("B"), "Aero, \"quoted\"");
}

TEST(InfParser, LocaleStringsComeFirstAndFallBackToStrings) {
  const std::string text =
      "[S]\n"
      "a = %Greeting%, %OnlyDefault%\n"
      "[Strings]\n"
      "Greeting = Hello\n"
      "OnlyDefault = Default\n"
      "[Strings.0407]\n"
      "Greeting = Hallo\n"
      "[Strings.0007]\n"
      "Greeting = Hallo (primary)\n";
  EXPECT_EQ(MustParse(text).FindSection("S")->lines[0].values,
            (std::vector<std::string>{"Hello", "Default"}));
  ParseOptions german;
  german.locale = "0407";
  EXPECT_EQ(MustParse(text, german).FindSection("S")->lines[0].values,
            (std::vector<std::string>{"Hallo", "Default"}));
  ParseOptions austrian;  // 0C07 has no own section: falls back to its primary language 0007
  austrian.locale = "0C07";
  EXPECT_EQ(MustParse(text, austrian).FindSection("S")->lines[0].values,
            (std::vector<std::string>{"Hallo (primary)", "Default"}));
}

TEST(InfParser, DuplicateSectionsMerge) {
  InfFile inf = MustParse("[A]\nx = 1\n[B]\n[a]\ny = 2\n");
  ASSERT_EQ(inf.sections().size(), 2u);
  const InfSection* a = inf.FindSection("A");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->header_lines, (std::vector<int>{1, 4}));
  ASSERT_EQ(a->lines.size(), 2u);
  EXPECT_EQ(a->lines[1].key, "y");
  EXPECT_EQ(a->lines[1].line_number, 5);
}

TEST(InfParser, ErrorUndefinedStringKeyNamesFileAndLine) {
  EXPECT_EQ(ParseError("[S]\n\na = %Nope%\n"), "bad.inf:3: undefined string key %Nope%");
}

TEST(InfParser, ErrorUnterminatedSectionHeader) {
  EXPECT_EQ(ParseError("[Version]\nx=1\n[Models\n"),
            "bad.inf:3: unterminated section header (missing ']')");
}

TEST(InfParser, ErrorUnterminatedQuote) {
  EXPECT_EQ(ParseError("[S]\na = \"open, b\nc = 1\n"), "bad.inf:2: unterminated quoted string");
  // A quote cannot continue over a `\` line break either.
  EXPECT_EQ(ParseError("[S]\na = \"open \\\n close\"\n"), "bad.inf:2: unterminated quoted string");
}

TEST(InfParser, ErrorKeyBeforeAnySection) {
  EXPECT_EQ(ParseError("; header\n\nSignature = x\n[Version]\n"),
            "bad.inf:3: entry before any [section] header");
}

TEST(InfParser, ErrorBadSectionHeaders) {
  EXPECT_EQ(ParseError("[A] junk\n"), "bad.inf:1: unexpected text after section header: 'junk'");
  EXPECT_EQ(ParseError("[   ]\n"), "bad.inf:1: empty section name");
  EXPECT_EQ(ParseError("[" + std::string(256, 'x') + "]\n"),
            "bad.inf:1: section name longer than 255 characters");
  MustParse("[" + std::string(255, 'x') + "]\n");
}

TEST(InfParser, ErrorStringsEntryWithoutEquals) {
  EXPECT_EQ(ParseError("[Strings]\nA = 1\njunk\n"), "bad.inf:3: entry without '=' in [Strings]");
}

TEST(InfParser, Utf16LeFileParsesLikeAscii) {
  const std::string text =
      "[Version]\r\nSignature=\"$Windows NT$\"\r\n[S]\r\nk = %A%\r\n"
      "[Strings]\r\nA=\"\xC3\xA9t\xC3\xA9\"\r\n";
  std::string encoded;
  std::string error;
  ASSERT_TRUE(EncodeText(text, TextEncoding::kUtf16Le, &encoded, &error)) << error;
  const std::vector<std::uint8_t> bytes(encoded.begin(), encoded.end());
  InfParseResult result = ParseInf(bytes, "u16.inf");
  ASSERT_TRUE(result.ok()) << result.error.ToString();
  EXPECT_EQ(result.inf->encoding(), TextEncoding::kUtf16Le);
  const InfSection* s = result.inf->FindSection("S");
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->lines[0].values.front(), "\xC3\xA9t\xC3\xA9");
  EXPECT_EQ(s->lines[0].line_number, 4);
}

TEST(InfParser, Utf16LeErrorsKeepLineNumbers) {
  std::string encoded;
  std::string error;
  ASSERT_TRUE(EncodeText("[S]\r\na=1\r\n[Broken\r\n", TextEncoding::kUtf16Le, &encoded, &error));
  InfParseResult result =
      ParseInf(std::vector<std::uint8_t>(encoded.begin(), encoded.end()), "u16.inf");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error.ToString(), "u16.inf:3: unterminated section header (missing ']')");
}

TEST(InfParser, Utf8BomFileParses) {
  const std::string text = "\xEF\xBB\xBF[Version]\nClass=Net\n";
  InfParseResult result = ParseInf(std::vector<std::uint8_t>(text.begin(), text.end()), "bom.inf");
  ASSERT_TRUE(result.ok()) << result.error.ToString();
  EXPECT_EQ(result.inf->encoding(), TextEncoding::kUtf8Bom);
  EXPECT_NE(result.inf->FindSection("Version"), nullptr);
}

TEST(InfParser, BadEncodingIsReportedWithoutLine) {
  InfParseResult result = ParseInf(std::vector<std::uint8_t>{'[', 0, ']', 0}, "nul.inf");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error.line, 0);
  EXPECT_EQ(result.error.ToString().rfind("nul.inf: file contains a NUL byte", 0), 0u)
      << result.error.ToString();
}

TEST(InfParser, SizeLimitIsEnforced) {
  ParseOptions options;
  options.max_bytes = 8;
  const std::string text = "[Version]\n";
  InfParseResult result =
      ParseInf(std::vector<std::uint8_t>(text.begin(), text.end()), "big.inf", options);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error.message, "file is larger than 8 bytes");
}

TEST(InfParser, ParseFileReadsFromDiskAndReportsMissingFiles) {
  const std::filesystem::path dir = std::filesystem::temp_directory_path();
  const std::filesystem::path path = dir / ("aero_inf_test_" + std::to_string(::getpid()) + ".inf");
  {
    std::ofstream out(path, std::ios::binary);
    out << "[Version]\r\nClass = Display\r\n";
  }
  InfParseResult result = ParseInfFile(path);
  std::filesystem::remove(path);
  ASSERT_TRUE(result.ok()) << result.error.ToString();
  EXPECT_EQ(result.inf->file_name(), path.string());
  EXPECT_EQ(result.inf->FindSection("version")->FindKey("CLASS")->values.front(), "Display");

  InfParseResult missing = ParseInfFile(dir / "aero_inf_test_does_not_exist.inf");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error.ToString().find("cannot open file"), std::string::npos);
}

}  // namespace
}  // namespace aero::inf

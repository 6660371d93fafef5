#include "manifest.h"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

#include "error.h"

namespace aero::packager {
namespace {

ManifestInfo Info() {
  ManifestInfo info;
  info.version = "0.1.0";
  info.build_id = "abc123";
  info.source_date_epoch = 1700000000;
  info.signing = {{"identity", "generated-test-identity"},
                  {"file_digests", "sha1+sha256"},
                  {"catalog_digest", "sha1"},
                  {"publisher_sha1", "E98969261F44255741F39EAE51819169190EFEA7"}};
  info.drivers = {{"aero_virtio_blk", {"amd64", "x86"}}};
  return info;
}

std::vector<MediaFile> Files() {
  return {MediaFile{"setup.cmd", {}, {'@', 'e'}}, MediaFile{"README.txt", {}, {}},
          MediaFile{"drivers/aero_virtio_blk/x86/aero_virtio_blk.inf", {}, {'x'}}};
}

// Validation errors of `manifest` against packaging/manifest.schema.json.
std::vector<std::string> SchemaErrors(const nlohmann::json& manifest) {
  std::ifstream stream(AERO_MANIFEST_SCHEMA);
  const nlohmann::json schema_doc = nlohmann::json::parse(stream);
  valijson::Schema schema;
  valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
  valijson::adapters::NlohmannJsonAdapter schema_adapter(schema_doc);
  parser.populateSchema(schema_adapter, schema);
  valijson::Validator validator;
  valijson::ValidationResults results;
  valijson::adapters::NlohmannJsonAdapter adapter(manifest);
  std::vector<std::string> errors;
  if (!validator.validate(schema, adapter, &results)) {
    valijson::ValidationResults::Error error;
    while (results.popError(error)) {
      errors.push_back(error.description);
    }
  }
  return errors;
}

TEST(ManifestTest, ListsFilesInPathOrderWithSizeAndSha256) {
  const nlohmann::json manifest = nlohmann::json::parse(RenderManifest(Info(), Files()));
  ASSERT_EQ(manifest["files"].size(), 3u);
  EXPECT_EQ(manifest["files"][0]["path"], "README.txt");
  EXPECT_EQ(manifest["files"][0]["size"], 0);
  EXPECT_EQ(manifest["files"][0]["sha256"],
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(manifest["files"][1]["path"], "drivers/aero_virtio_blk/x86/aero_virtio_blk.inf");
  EXPECT_EQ(manifest["files"][2]["path"], "setup.cmd");
  EXPECT_EQ(manifest["files"][2]["size"], 2);
  EXPECT_EQ(manifest["version"], "0.1.0");
  EXPECT_EQ(manifest["build_id"], "abc123");
  EXPECT_EQ(manifest["signing"]["file_digests"], "sha1+sha256");
  EXPECT_EQ(manifest["drivers"][0]["architectures"][1], "x86");
}

TEST(ManifestTest, MatchesTheSchema) {
  const nlohmann::json manifest = nlohmann::json::parse(RenderManifest(Info(), Files()));
  EXPECT_EQ(SchemaErrors(manifest), std::vector<std::string>{});
  nlohmann::json broken = manifest;
  broken["files"][0]["sha256"] = "XYZ";
  EXPECT_FALSE(SchemaErrors(broken).empty());
  broken = manifest;
  broken["signing"]["identity"] = "someone";
  EXPECT_FALSE(SchemaErrors(broken).empty());
  broken = manifest;
  broken["files"][0]["path"] = "a\\b.txt";
  EXPECT_FALSE(SchemaErrors(broken).empty());
}

TEST(ManifestTest, IsStableText) {
  EXPECT_EQ(RenderManifest(Info(), Files()), RenderManifest(Info(), Files()));
  const std::string text = RenderManifest(Info(), Files());
  EXPECT_EQ(text.back(), '\n');
  EXPECT_LT(text.find("\"format\""), text.find("\"files\""));  // written in a fixed order
}

TEST(ManifestTest, RequiresTheSigningPolicy) {
  ManifestInfo info = Info();
  info.signing.erase("file_digests");
  EXPECT_THROW(RenderManifest(info, Files()), catalog::Error);
}

}  // namespace
}  // namespace aero::packager

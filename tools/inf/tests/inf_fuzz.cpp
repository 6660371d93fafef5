// libFuzzer target: the INF parser and the driver-package helpers on arbitrary bytes.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include "inf_file.h"
#include "inf_models.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  aero::inf::ParseOptions options;
  options.locale = "0409";
  aero::inf::InfParseResult result =
      aero::inf::ParseInf(std::span<const std::uint8_t>(data, size), "fuzz.inf", options);
  if (!result.ok()) {
    if (result.error.message.empty()) {
      __builtin_trap();  // every failure must explain itself
    }
    return 0;
  }
  const aero::inf::InfFile& inf = *result.inf;
  for (const aero::inf::ModelsSectionRef& ref : aero::inf::FollowManufacturer(inf)) {
    if (ref.section == nullptr) {
      continue;
    }
    const std::string arch = aero::inf::ArchitectureOfDecoration(ref.decoration);
    for (const aero::inf::ModelEntry& model : aero::inf::ReadModels(*ref.section)) {
      std::string resolved;
      if (aero::inf::ResolveInstallSection(inf, model.install_section, arch, &resolved) !=
          nullptr) {
        (void)aero::inf::FindAddServices(inf, resolved);
      }
    }
  }
  std::string reencoded;
  std::string error;
  std::string text;
  for (const aero::inf::InfSection& section : inf.sections()) {
    text += section.name;
  }
  (void)aero::inf::EncodeText(text, inf.encoding(), &reencoded, &error);
  return 0;
}

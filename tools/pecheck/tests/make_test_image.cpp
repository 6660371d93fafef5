// Writes one generated test image for the CLI tests: make_test_image <variant> <x86|x64> <out>.
#include <cstdio>
#include <string>

#include "test_image_builder.h"

namespace {

using aero::pecheck::Arch;
using namespace aero::pecheck::testing;

bool Build(const std::string& variant, Arch arch, TestImage& image) {
  TestImageSpec spec = DriverSpec(arch);
  if (variant == "good") {
    image = BuildTestImage(spec);
  } else if (variant == "wx-section") {
    spec.text_characteristics |= 0x80000000u;  // MEM_WRITE on .text
    image = BuildTestImage(spec);
  } else if (variant == "not-allowed-module") {
    spec.modules.push_back({"ks.sys", {{"KsCreatePin", {}}}});
    image = BuildTestImage(spec);
  } else if (variant == "truncated-headers") {
    image = BuildTestImage(spec);
    image.bytes.resize(image.optional_header_offset + 40);
  } else {
    return false;
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: %s <variant> <x86|x64> <out-file>\n", argv[0]);
    return 2;
  }
  const std::optional<Arch> arch = aero::pecheck::ParseArch(argv[2]);
  TestImage image;
  if (!arch || !Build(argv[1], *arch, image)) {
    std::fprintf(stderr, "%s: unknown variant '%s' or arch '%s'\n", argv[0], argv[1], argv[2]);
    return 2;
  }
  if (!WriteFileAtomically(argv[3], image.bytes)) {
    std::fprintf(stderr, "%s: cannot write %s\n", argv[0], argv[3]);
    return 1;
  }
  return 0;
}

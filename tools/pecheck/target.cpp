#include "target.h"

namespace aero::pecheck {

std::optional<Arch> ParseArch(std::string_view text) {
  if (text == "x86") {
    return Arch::kX86;
  }
  if (text == "x64") {
    return Arch::kX64;
  }
  return std::nullopt;
}

const char* ArchName(Arch arch) {
  return arch == Arch::kX86 ? "x86" : "x64";
}

std::optional<ImageKind> ParseImageKind(std::string_view text) {
  if (text == "kernel-driver") {
    return ImageKind::kKernelDriver;
  }
  if (text == "dll") {
    return ImageKind::kDll;
  }
  if (text == "exe") {
    return ImageKind::kExe;
  }
  return std::nullopt;
}

const char* ImageKindName(ImageKind kind) {
  switch (kind) {
    case ImageKind::kKernelDriver:
      return "kernel-driver";
    case ImageKind::kDll:
      return "dll";
    case ImageKind::kExe:
      return "exe";
  }
  return "?";
}

}  // namespace aero::pecheck

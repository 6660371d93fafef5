// What an image is meant to be: its kind (kernel driver, DLL, EXE) and architecture.
#pragma once

#include <optional>
#include <string_view>

namespace aero::pecheck {

enum class Arch { kX86, kX64 };
enum class ImageKind { kKernelDriver, kDll, kExe };

std::optional<Arch> ParseArch(std::string_view text);  // "x86" | "x64"
const char* ArchName(Arch arch);
std::optional<ImageKind> ParseImageKind(std::string_view text);  // "kernel-driver" | "dll" | "exe"
const char* ImageKindName(ImageKind kind);

}  // namespace aero::pecheck

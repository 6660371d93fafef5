// libFuzzer target over the PE reader and every check. Input byte 0 picks the mode:
//   bit 0 set:   the rest of the input is the file, as is;
//   bit 0 clear: a well-formed generated driver (bit 1: x64) patched by the rest of the input,
//                read as (offset lo, offset hi, value) triples; bit 2 also truncates the result
//                to a length taken from the last two input bytes.
// Bit 3 checks as a DLL instead of a kernel driver. Starting from a valid image lets the fuzzer
// reach the import, relocation and section code instead of stopping at the DOS header.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "checks.h"
#include "test_image_builder.h"

namespace {

using namespace aero::pecheck;

CheckConfig MakeConfig(Arch arch, ImageKind kind) {
  CheckConfig config;
  config.kind = kind;
  config.arch = arch;
  config.facts.functions = {"IoCreateDevice", "ObfReferenceObject", "KeGetCurrentIrql",
                            "KeAcquireSpinLockRaiseToDpc"};
  const char* def = arch == Arch::kX86
                        ? "LIBRARY ntoskrnl.exe\nEXPORTS\nIoCreateDevice@28\n"
                          "@ObfReferenceObject@4\nDbgPrint\nKeTickCount DATA\n"
                        : "LIBRARY ntoskrnl.exe\nEXPORTS\nIoCreateDevice\n"
                          "ObfReferenceObject\nDbgPrint\nKeAcquireSpinLockRaiseToDpc\n";
  config.module_exports.push_back(ParseDefFile(def, arch, "fuzz.def").value());
  config.module_exports.push_back(
      ParseDefFile("LIBRARY hal.dll\nEXPORTS\nKeGetCurrentIrql@0 @5\n@KfAcquireSpinLock@4\n", arch,
                   "hal.def")
          .value());
  config.allowed_modules = {"ntoskrnl.exe", "hal.dll"};
  config.not_in_facts = NotInFactsList::Parse(
                            "ntoskrnl.exe!DbgPrint variadic\nntoskrnl.exe!KeTickCount data\n"
                            "hal.dll!* fuzz\n",
                            "fuzz.txt")
                            .value();
  return config;
}

const CheckConfig& Config(Arch arch, ImageKind kind) {
  static const CheckConfig configs[2][2] = {
      {MakeConfig(Arch::kX86, ImageKind::kKernelDriver), MakeConfig(Arch::kX86, ImageKind::kDll)},
      {MakeConfig(Arch::kX64, ImageKind::kKernelDriver), MakeConfig(Arch::kX64, ImageKind::kDll)}};
  return configs[arch == Arch::kX64][kind == ImageKind::kDll];
}

const std::vector<uint8_t>& BaseImage(Arch arch) {
  static const std::vector<uint8_t> images[2] = {
      testing::BuildTestImage(testing::DriverSpec(Arch::kX86)).bytes,
      testing::BuildTestImage(testing::DriverSpec(Arch::kX64)).bytes};
  return images[arch == Arch::kX64];
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) {
    return 0;
  }
  const uint8_t mode = data[0];
  const Arch arch = (mode & 2) != 0 ? Arch::kX64 : Arch::kX86;
  const ImageKind kind = (mode & 8) != 0 ? ImageKind::kDll : ImageKind::kKernelDriver;
  std::vector<uint8_t> file;
  if ((mode & 1) != 0) {
    file.assign(data + 1, data + size);
  } else {
    file = BaseImage(arch);
    for (size_t i = 1; i + 3 <= size; i += 3) {
      const size_t offset = (data[i] | data[i + 1] << 8) % file.size();
      file[offset] = data[i + 2];
    }
    if ((mode & 4) != 0 && size >= 3) {
      file.resize((data[size - 2] | data[size - 1] << 8) % (file.size() + 1));
    }
  }
  const CheckReport report = CheckImage(file, Config(arch, kind));
  // A report is either a parse error or a list of violations, never both.
  if (!report.parsed() && !report.violations.empty()) {
    __builtin_trap();
  }
  return 0;
}

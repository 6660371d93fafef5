// Checks on single header fields: machine, image type, subsystem, checksum, NX, TLS.
#include <string>

#include "check_context.h"
#include "pe_checksum.h"
#include "text_util.h"

namespace aero::pecheck {
namespace {

// Windows 7 is NT 6.1; a higher subsystem version makes its loader refuse the image.
constexpr uint16_t kWin7Major = 6;
constexpr uint16_t kWin7Minor = 1;

std::string Version(uint16_t major, uint16_t minor) {
  return std::to_string(major) + "." + std::to_string(minor);
}

}  // namespace

void CheckMachine(const CheckContext& ctx) {
  const bool x86 = ctx.config.arch == Arch::kX86;
  const uint16_t machine = x86 ? pe::kMachineI386 : pe::kMachineAmd64;
  const PeFormat format = x86 ? PeFormat::kPe32 : PeFormat::kPe32Plus;
  if (ctx.image.machine != machine) {
    ctx.Report("machine", "Machine is " + Hex(ctx.image.machine) + ", expected " + Hex(machine) +
                              " for " + ArchName(ctx.config.arch));
  }
  if (ctx.image.format != format) {
    ctx.Report("machine", std::string("optional header is ") +
                              (format == PeFormat::kPe32 ? "PE32+" : "PE32") + ", expected " +
                              (format == PeFormat::kPe32 ? "PE32" : "PE32+") + " for " +
                              ArchName(ctx.config.arch));
  }
}

void CheckImageType(const CheckContext& ctx) {
  const uint16_t flags = ctx.image.file_characteristics;
  if ((flags & pe::kFileExecutableImage) == 0) {
    ctx.Report("image-type", "IMAGE_FILE_EXECUTABLE_IMAGE is clear (an object file, not an image)");
  }
  const bool is_dll = (flags & pe::kFileDll) != 0;
  if (ctx.config.kind == ImageKind::kDll && !is_dll) {
    ctx.Report("image-type", "IMAGE_FILE_DLL is clear but --kind is dll");
  }
  if (ctx.config.kind == ImageKind::kExe && is_dll) {
    ctx.Report("image-type", "IMAGE_FILE_DLL is set but --kind is exe");
  }
}

void CheckSubsystem(const CheckContext& ctx) {
  const uint16_t subsystem = ctx.image.subsystem;
  if (ctx.kernel_driver()) {
    if (subsystem != pe::kSubsystemNative) {
      ctx.Report("subsystem", "Subsystem is " + std::to_string(subsystem) +
                                  ", a kernel driver needs 1 (NATIVE)");
    }
  } else if (subsystem != pe::kSubsystemWindowsGui && subsystem != pe::kSubsystemWindowsCui) {
    ctx.Report("subsystem", "Subsystem is " + std::to_string(subsystem) + ", a " +
                                ImageKindName(ctx.config.kind) +
                                " needs 2 (WINDOWS_GUI) or 3 (WINDOWS_CUI)");
  }
  const uint16_t major = ctx.image.subsystem_major;
  const uint16_t minor = ctx.image.subsystem_minor;
  if (major > kWin7Major || (major == kWin7Major && minor > kWin7Minor)) {
    ctx.Report("subsystem", "subsystem version " + Version(major, minor) +
                                " is newer than Windows 7 (" + Version(kWin7Major, kWin7Minor) +
                                "); Win7 refuses to load it");
  }
}

void CheckChecksum(const CheckContext& ctx) {
  const uint32_t computed = ComputePeChecksum(ctx.image.file.bytes(), ctx.image.checksum_offset);
  if (ctx.image.checksum == 0) {
    // User-mode loaders ignore a zero checksum; the kernel loader requires a valid one.
    if (ctx.kernel_driver()) {
      ctx.Report("checksum",
                 "CheckSum is 0; a kernel driver needs the computed value " + Hex(computed));
    }
    return;
  }
  if (ctx.image.checksum != computed) {
    ctx.Report("checksum", "CheckSum is " + Hex(ctx.image.checksum) + " but the file sums to " +
                               Hex(computed) + " (edited after linking without recomputing?)");
  }
}

void CheckNxCompat(const CheckContext& ctx) {
  if ((ctx.image.dll_characteristics & pe::kDllNxCompat) == 0) {
    ctx.Report("nx-compat", "DllCharacteristics lacks NX_COMPAT (0x100); link with --nxcompat");
  }
}

void CheckTls(const CheckContext& ctx) {
  // The kernel loader does not process TLS callbacks or allocate TLS slots for drivers.
  const DataDirectory& tls = ctx.image.directory(pe::kDirTls);
  if (ctx.kernel_driver() && !tls.empty()) {
    ctx.Report("tls", "TLS directory is set (RVA " + Hex(tls.rva) + ", " +
                          std::to_string(tls.size) +
                          " bytes); kernel drivers cannot use thread-local storage");
  }
}

}  // namespace aero::pecheck

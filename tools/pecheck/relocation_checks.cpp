// Checks that the image can be relocated: Windows loads drivers and DLLs at any base.
#include <string>

#include "check_context.h"
#include "pe_relocations.h"

namespace aero::pecheck {

void CheckRelocations(const CheckContext& ctx) {
  const PeImage& img = ctx.image;
  if ((img.file_characteristics & pe::kFileRelocsStripped) != 0) {
    ctx.Report("relocations",
               "IMAGE_FILE_RELOCS_STRIPPED is set; the image cannot be loaded at another base "
               "(do not link with --disable-reloc-section)");
  }
  if ((img.dll_characteristics & pe::kDllDynamicBase) == 0) {
    ctx.Report("relocations",
               "DllCharacteristics lacks DYNAMIC_BASE (0x40); link with --dynamicbase");
  }
  const Result<RelocationSummary> relocations = ReadRelocations(img);
  if (!relocations.ok()) {
    ctx.Report("relocations", "malformed base relocations: " + relocations.error());
    return;
  }
  // x86 code addresses its IAT and data absolutely, so a real x86 image always has fixups; an
  // x64 image that uses only RIP-relative addressing legally has none.
  if (img.format == PeFormat::kPe32 && relocations.value().fixups == 0) {
    ctx.Report("relocations",
               "a PE32 image without base relocation fixups cannot be relocated (the base "
               "relocation directory is empty or holds only padding)");
  }
}

}  // namespace aero::pecheck

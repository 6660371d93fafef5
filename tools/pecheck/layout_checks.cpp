// Checks on the image layout: alignments, header size, the section table and the entry point.
#include <string>

#include "check_context.h"
#include "text_util.h"

namespace aero::pecheck {
namespace {

constexpr uint32_t kPageSize = 0x1000;

bool IsPowerOfTwo(uint32_t value) {
  return value != 0 && (value & (value - 1)) == 0;
}

uint64_t AlignUp(uint64_t value, uint32_t alignment) {
  return (value + alignment - 1) / alignment * alignment;
}

bool ValidAlignments(const PeImage& image) {
  return IsPowerOfTwo(image.file_alignment) && IsPowerOfTwo(image.section_alignment) &&
         image.section_alignment >= image.file_alignment;
}

std::string SectionLabel(size_t index, const Section& s) {
  return "section " + std::to_string(index) + " " + Quoted(s.name);
}

// Why a section must not appear in a kernel driver, or "" when it may.
std::string ForbiddenInKernelBecause(const std::string& name) {
  if (name == ".tls") {
    return "thread-local storage, which the kernel loader does not set up for drivers";
  }
  if (name == ".CRT") {
    return "C runtime initialiser tables, which nothing runs in a driver";
  }
  if (name == ".eh_fram") {
    return "gcc's .eh_frame unwind data, useless to Windows (x86: -fno-asynchronous-unwind-tables)";
  }
  // "/<digits>" names a COFF string-table entry: only unstripped sections such as .debug_info.
  if (name.size() < 2 || name[0] != '/') {
    return "";
  }
  for (size_t i = 1; i < name.size(); ++i) {
    if (name[i] < '0' || name[i] > '9') {
      return "";
    }
  }
  return "a long-named section, i.e. unstripped debug data (link with -s)";
}

}  // namespace

void CheckHeaderLayout(const CheckContext& ctx) {
  const PeImage& img = ctx.image;
  if (!ValidAlignments(img)) {
    ctx.Report("headers", "FileAlignment " + Hex(img.file_alignment) + " and SectionAlignment " +
                              Hex(img.section_alignment) +
                              " must be powers of two with SectionAlignment >= FileAlignment");
    return;
  }
  if (img.section_alignment < kPageSize && img.section_alignment != img.file_alignment) {
    ctx.Report("headers", "SectionAlignment " + Hex(img.section_alignment) +
                              " is below the page size, so FileAlignment must equal it");
  }
  if (img.size_of_headers % img.file_alignment != 0 || img.size_of_headers > img.file.size() ||
      img.size_of_headers < img.section_table_end) {
    ctx.Report("headers", "SizeOfHeaders " + Hex(img.size_of_headers) +
                              " must be a multiple of FileAlignment, cover the section table (ends "
                              "at " +
                              Hex(img.section_table_end) + ") and lie within the file");
  }
  if (img.size_of_image % img.section_alignment != 0) {
    ctx.Report("headers", "SizeOfImage " + Hex(img.size_of_image) +
                              " is not a multiple of SectionAlignment " +
                              Hex(img.section_alignment));
  }
}

void CheckSections(const CheckContext& ctx) {
  const PeImage& img = ctx.image;
  const bool aligned = ValidAlignments(img);
  uint64_t previous_end = img.size_of_headers;  // Sections follow the headers in RVA order.
  for (size_t i = 0; i < img.sections.size(); ++i) {
    const Section& s = img.sections[i];
    const std::string label = SectionLabel(i, s);
    if (s.has(pe::kScnMemWrite) && s.has(pe::kScnMemExecute)) {
      ctx.Report("sections",
                 label + " is both writable and executable (flags " + Hex(s.characteristics) + ")");
    }
    if (s.raw_size != 0) {
      if (!img.file.Contains(s.raw_pointer, s.raw_size)) {
        ctx.Report("sections", label + " raw data (" + Hex(s.raw_pointer) + " + " +
                                   Hex(s.raw_size) + ") runs past the end of the file (" +
                                   Hex(img.file.size()) + " bytes)");
      }
      if (aligned && s.raw_pointer % img.file_alignment != 0) {
        ctx.Report("sections", label + " raw data pointer " + Hex(s.raw_pointer) +
                                   " is not a multiple of FileAlignment");
      }
    }
    if (aligned && s.virtual_address % img.section_alignment != 0) {
      ctx.Report("sections", label + " RVA " + Hex(s.virtual_address) +
                                 " is not a multiple of SectionAlignment");
    }
    if (s.virtual_address < previous_end) {
      ctx.Report("sections", label + " RVA " + Hex(s.virtual_address) +
                                 " overlaps the headers or the previous section (which end at " +
                                 Hex(previous_end) + ")");
    }
    const uint64_t end = uint64_t{s.virtual_address} + s.mapped_size();
    if (end > img.size_of_image) {
      ctx.Report("sections", label + " ends at RVA " + Hex(end) + ", beyond SizeOfImage " +
                                 Hex(img.size_of_image));
    }
    previous_end = aligned ? AlignUp(end, img.section_alignment) : end;
    if (ctx.kernel_driver()) {
      const std::string why = ForbiddenInKernelBecause(s.name);
      if (!why.empty()) {
        ctx.Report("sections", label + " must not be in a kernel driver: " + why);
      }
    }
  }
}

void CheckEntryPoint(const CheckContext& ctx) {
  const uint32_t entry = ctx.image.entry_point;
  if (entry == 0) {
    if (ctx.config.kind != ImageKind::kDll) {
      ctx.Report("entry-point", "AddressOfEntryPoint is 0; a " +
                                    std::string(ImageKindName(ctx.config.kind)) + " needs one");
    }
    return;
  }
  const Section* s = ctx.image.SectionAt(entry);
  if (s == nullptr) {
    ctx.Report("entry-point", "AddressOfEntryPoint " + Hex(entry) + " is in no section");
    return;
  }
  if (!s->has(pe::kScnMemExecute)) {
    ctx.Report("entry-point", "AddressOfEntryPoint " + Hex(entry) +
                                  " is in non-executable section " + Quoted(s->name));
    return;
  }
  if (uint64_t{entry} - s->virtual_address >= s->file_backed_size()) {
    ctx.Report("entry-point", "AddressOfEntryPoint " + Hex(entry) +
                                  " is past the code in section " + Quoted(s->name));
  }
}

}  // namespace aero::pecheck

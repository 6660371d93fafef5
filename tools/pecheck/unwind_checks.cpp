// x64 unwind data: Windows treats a function without a RUNTIME_FUNCTION entry as a leaf, so
// without .pdata exception dispatch, bugcheck stack capture and the debugger walk garbage.
// The table is binary-searched, so it must also be sorted and non-overlapping.
#include <string>

#include "check_context.h"
#include "text_util.h"

namespace aero::pecheck {
namespace {

// Describes what is wrong with one RUNTIME_FUNCTION, or returns "".
std::string EntryProblem(const PeImage& img, uint32_t begin, uint32_t end, uint32_t unwind,
                         uint64_t previous_end) {
  if (begin > end) {
    return "ends before it begins";
  }
  if (begin < previous_end) {
    return "is out of order or overlaps the previous entry (the table must be sorted)";
  }
  const Section* s = img.SectionAt(begin);
  if (s == nullptr || !s->has(pe::kScnMemExecute) ||
      uint64_t{end} - s->virtual_address > s->mapped_size()) {
    return "does not lie inside one executable section";
  }
  // UNWIND_INFO starts with 4 fixed bytes; the unwind codes follow.
  if (!img.FileOffsetOf(unwind & ~1u, 4)) {
    return "points to unwind info at " + Hex(unwind) + " outside the file-backed image";
  }
  return "";
}

bool HasCode(const PeImage& img) {
  for (const Section& s : img.sections) {
    if (s.has(pe::kScnMemExecute) && s.file_backed_size() != 0) {
      return true;
    }
  }
  return false;
}

}  // namespace

void CheckUnwind(const CheckContext& ctx) {
  const PeImage& img = ctx.image;
  // Resource-only or forwarder-only images have no code to unwind.
  if (img.format != PeFormat::kPe32Plus || !HasCode(img)) {
    return;
  }
  const DataDirectory& dir = img.directory(pe::kDirException);
  if (dir.rva == 0 || dir.size == 0) {
    ctx.Report("unwind",
               "no exception directory (.pdata): x64 code needs unwind data for exception "
               "dispatch and stack walks (do not build with -fno-asynchronous-unwind-tables)");
    return;
  }
  if (dir.size % pe::kRuntimeFunctionSize != 0) {
    ctx.Report("unwind", "exception directory size " + std::to_string(dir.size) +
                             " is not a multiple of 12 (RUNTIME_FUNCTION)");
    return;
  }
  const std::optional<uint64_t> at = img.FileOffsetOf(dir.rva, dir.size);
  if (!at) {
    ctx.Report("unwind", "exception directory (RVA " + Hex(dir.rva) + ", " +
                             std::to_string(dir.size) +
                             " bytes) is not inside the file-backed part of one section");
    return;
  }
  uint64_t previous_end = 0;
  for (uint32_t offset = 0; offset < dir.size; offset += pe::kRuntimeFunctionSize) {
    const uint32_t begin = *img.file.U32(*at + offset);
    const uint32_t end = *img.file.U32(*at + offset + 4);
    const uint32_t unwind = *img.file.U32(*at + offset + 8);
    const std::string problem = EntryProblem(img, begin, end, unwind, previous_end);
    if (!problem.empty()) {
      ctx.Report("unwind", "RUNTIME_FUNCTION " + std::to_string(offset / 12) + " [" + Hex(begin) +
                               ", " + Hex(end) + ") " + problem);
      return;
    }
    previous_end = end;
  }
}

}  // namespace aero::pecheck

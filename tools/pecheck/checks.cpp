#include "checks.h"

#include "check_context.h"

namespace aero::pecheck {

CheckReport CheckImage(std::span<const uint8_t> file, const CheckConfig& config) {
  CheckReport report;
  Result<PeImage> image = ParsePeImage(file);
  if (!image.ok()) {
    report.parse_error = image.error();
    return report;
  }
  const CheckContext ctx{image.value(), config, report.violations};
  CheckMachine(ctx);
  CheckImageType(ctx);
  CheckHeaderLayout(ctx);
  CheckSubsystem(ctx);
  CheckChecksum(ctx);
  CheckRelocations(ctx);
  CheckSections(ctx);
  CheckTls(ctx);
  CheckUnwind(ctx);
  CheckImports(ctx);
  CheckEntryPoint(ctx);
  CheckNxCompat(ctx);
  return report;
}

}  // namespace aero::pecheck

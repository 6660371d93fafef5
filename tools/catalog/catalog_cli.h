// Command line of aero-catalog (see docs/packaging.md):
//   aero-catalog --inf <package.inf> --arch x86|amd64 [--os 7] [--time <unix-seconds>]
//                [--output <file.cat>] [--list-files] [--catalog-name]
// Writes the unsigned catalog of the package the INF describes (default: next to the INF, under
// the INF's CatalogFile name). Exit status: 0 done, 1 error (nothing written), 2 usage.
#pragma once

#include <ostream>
#include <span>
#include <string>

namespace aero::catalog {

int RunCatalogTool(std::span<const std::string> args, std::ostream& out, std::ostream& err);

}  // namespace aero::catalog

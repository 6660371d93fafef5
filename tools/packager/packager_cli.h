// Command line of aero-packager (see docs/packaging.md):
//   aero-packager --iso <out.iso> --zip <out.zip> --version <x.y.z> --build-id <id>
//                 --source-date-epoch <unix-seconds>
//                 [--driver-packages <folder>] [--file <media-path>=<source>]...
//                 [--signing <key>=<value>]... [--volume-id <ID>] [--xorriso <program>]
// Exit status: 0 done, 1 error (no output written or changed), 2 usage.
#pragma once

#include <ostream>
#include <span>
#include <string>

namespace aero::packager {

int RunPackager(std::span<const std::string> args, std::ostream& out, std::ostream& err);

}  // namespace aero::packager

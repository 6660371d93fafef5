// aero-inf-stamp: writes a driver package INF with [Version] DriverVer set to the build's date
// and version.
//   aero-inf-stamp --in <source.inf> --out <staged.inf> --time <unix-seconds> --version <x.y.z>
// Exit status: 0 done, 1 error (nothing written), 2 usage.
#include <charconv>
#include <iostream>
#include <string>
#include <vector>

#include "error.h"
#include "file_io.h"
#include "inf_stamp.h"

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  std::string in;
  std::string out;
  std::string version;
  std::string time_text;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (i + 1 >= args.size()) {
      std::cerr << "aero-inf-stamp: " << args[i] << " needs a value\n";
      return 2;
    }
    const std::string& value = args[++i];
    if (args[i - 1] == "--in") {
      in = value;
    } else if (args[i - 1] == "--out") {
      out = value;
    } else if (args[i - 1] == "--version") {
      version = value;
    } else if (args[i - 1] == "--time") {
      time_text = value;
    } else {
      std::cerr << "aero-inf-stamp: unknown argument '" << args[i - 1] << "'\n";
      return 2;
    }
  }
  std::int64_t seconds = 0;
  const auto [end, error] =
      std::from_chars(time_text.data(), time_text.data() + time_text.size(), seconds);
  if (in.empty() || out.empty() || version.empty() || time_text.empty() || error != std::errc() ||
      end != time_text.data() + time_text.size()) {
    std::cerr << "usage: aero-inf-stamp --in <source.inf> --out <staged.inf> "
                 "--time <unix-seconds> --version <x.y.z>\n";
    return 2;
  }
  try {
    const std::string driver_ver = aero::packager::FormatDriverVer(seconds, version);
    const std::vector<std::uint8_t> source = aero::catalog::ReadRegularFile(in);
    aero::catalog::WriteFileAtomically(out, aero::packager::StampDriverVer(source, in, driver_ver));
  } catch (const aero::catalog::Error& e) {
    std::cerr << "aero-inf-stamp: error: " << e.what() << "\n";
    return 1;
  }
  return 0;
}

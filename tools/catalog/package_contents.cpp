#include "package_contents.h"

#include <algorithm>
#include <map>
#include <set>
#include <system_error>

#include "error.h"
#include "inf_models.h"

namespace aero::catalog {
namespace {

// Collects every problem so one run reports all of them.
class Problems {
 public:
  explicit Problems(std::string inf_name) : inf_name_(std::move(inf_name)) {}

  void Add(int line, const std::string& message) {
    messages_.push_back(inf_name_ + (line > 0 ? ":" + std::to_string(line) : "") + ": " + message);
  }
  void ThrowIfAny() const {
    if (messages_.empty()) {
      return;
    }
    std::string text;
    for (const std::string& message : messages_) {
      text += (text.empty() ? "" : "\n") + message;
    }
    throw Error(text);
  }

 private:
  std::string inf_name_;
  std::vector<std::string> messages_;
};

struct DiskEntry {
  std::string path;  // the [SourceDisksNames] path field, as written
  std::string section;
};

struct SourceFileEntry {
  std::string name;
  std::string disk_id;
  std::string subdirectory;
  std::string section;
  int line_number = 0;
};

// Sections decorated for `arch` take precedence over undecorated ones, entry by entry.
std::vector<const inf::InfSection*> DecoratedThenPlain(const inf::InfFile& inf,
                                                       std::string_view base, PackageArch arch) {
  std::vector<const inf::InfSection*> sections;
  const std::string decorated = std::string(base) + "." + std::string(PackageArchName(arch));
  for (const std::string& name : {decorated, std::string(base)}) {
    if (const inf::InfSection* section = inf.FindSection(name)) {
      sections.push_back(section);
    }
  }
  return sections;
}

// Splits a relative INF path ("\drivers\x86", "sub") into checked components.
bool SplitRelativePath(std::string_view text, std::vector<std::string>* components) {
  std::string current;
  auto flush = [&]() {
    if (current.empty() || current == ".") {
      current.clear();
      return true;
    }
    if (!IsPlainFileName(current)) {
      return false;
    }
    components->push_back(current);
    current.clear();
    return true;
  };
  for (char c : text) {
    if (c == '\\' || c == '/') {
      if (!flush()) {
        return false;
      }
    } else {
      current.push_back(c);
    }
  }
  return flush();
}

// Finds `name` in `folder` ignoring case, as Windows would. Returns the on-disk name, or nullopt
// with `error` set.
std::optional<std::string> FindEntry(const std::filesystem::path& folder, const std::string& name,
                                     bool want_directory, std::string* error) {
  std::error_code code;
  std::filesystem::directory_iterator it(folder, code);
  if (code) {
    *error = "cannot list '" + folder.string() + "': " + code.message();
    return std::nullopt;
  }
  std::vector<std::string> matches;
  bool wrong_kind = false;
  for (const std::filesystem::directory_entry& entry : it) {
    const std::string entry_name = entry.path().filename().string();
    if (!inf::EqualsIgnoreCase(entry_name, name)) {
      continue;
    }
    const std::filesystem::file_status status = entry.symlink_status(code);
    const bool kind_ok = want_directory ? std::filesystem::is_directory(status)
                                        : std::filesystem::is_regular_file(status);
    if (!kind_ok) {
      wrong_kind = true;
      continue;
    }
    matches.push_back(entry_name);
  }
  if (matches.size() > 1) {
    *error = "'" + name + "' matches more than one entry of '" + folder.string() +
             "' when case is ignored";
    return std::nullopt;
  }
  if (matches.empty()) {
    *error = wrong_kind
                 ? "'" + (folder / name).string() + "' is not a regular " +
                       (want_directory ? "directory" : "file") + " (symbolic links are refused)"
                 : "'" + (folder / name).string() + "' is missing";
    return std::nullopt;
  }
  return matches.front();
}

std::string CatalogName(const inf::InfFile& inf, PackageArch arch, Problems* problems) {
  const inf::InfSection* version = inf.FindSection("Version");
  if (version == nullptr) {
    problems->Add(0, "the INF has no [Version] section");
    return {};
  }
  const std::string decorated = "CatalogFile.NT" + std::string(PackageArchName(arch));
  for (const std::string& key :
       {decorated, std::string("CatalogFile.NT"), std::string("CatalogFile")}) {
    const inf::InfLine* line = version->FindKey(key);
    if (line == nullptr) {
      continue;
    }
    std::string name = line->values.empty() ? std::string() : line->values.front();
    const bool is_cat =
        name.size() > 4 && inf::EqualsIgnoreCase(name.substr(name.size() - 4), ".cat");
    if (line->values.size() != 1 || !IsPlainFileName(name) || !is_cat) {
      problems->Add(line->line_number,
                    key + " must name one .cat file without a path, not '" + line->text + "'");
      return {};
    }
    return name;
  }
  problems->Add(version->line_number, "[Version] has no CatalogFile entry for " +
                                          std::string(PackageArchName(arch)) + " (" + decorated +
                                          ", CatalogFile.NT or CatalogFile)");
  return {};
}

std::map<std::string, DiskEntry> ReadDisks(const inf::InfFile& inf, PackageArch arch,
                                           Problems* problems) {
  std::map<std::string, DiskEntry> disks;
  for (const inf::InfSection* section : DecoratedThenPlain(inf, "SourceDisksNames", arch)) {
    for (const inf::InfLine& line : section->lines) {
      if (!line.has_key || line.key.empty()) {
        problems->Add(line.line_number, "[" + section->name + "] entry without a disk ID");
        continue;
      }
      const std::string id = inf::ToLowerAscii(line.key);
      if (disks.count(id) == 0) {
        disks[id] =
            DiskEntry{line.values.size() > 3 ? line.values[3] : std::string(), section->name};
      }
    }
  }
  return disks;
}

std::map<std::string, SourceFileEntry> ReadSourceFiles(const inf::InfFile& inf, PackageArch arch,
                                                       Problems* problems) {
  std::map<std::string, SourceFileEntry> files;  // keyed by lower-case name
  for (const inf::InfSection* section : DecoratedThenPlain(inf, "SourceDisksFiles", arch)) {
    for (const inf::InfLine& line : section->lines) {
      if (!line.has_key || line.values.empty() || line.values[0].empty()) {
        problems->Add(line.line_number, "[" + section->name +
                                            "] entries must read 'file = disk-id[,subdir]', not '" +
                                            line.text + "'");
        continue;
      }
      if (!IsPlainFileName(line.key)) {
        problems->Add(line.line_number, "'" + line.key + "' is not a plain file name");
        continue;
      }
      const std::string key = inf::ToLowerAscii(line.key);
      if (files.count(key) != 0) {
        if (inf::EqualsIgnoreCase(files[key].section, section->name)) {
          problems->Add(line.line_number,
                        "'" + line.key + "' is listed twice in [" + section->name + "]");
        }
        continue;  // the decorated section's entry wins
      }
      files[key] = SourceFileEntry{line.key, inf::ToLowerAscii(line.values[0]),
                                   line.values.size() > 1 ? line.values[1] : std::string(),
                                   section->name, line.line_number};
    }
  }
  return files;
}

// Models sections Windows would read on `arch`: the ones decorated for it; on x86 also the
// undecorated and plain "NT" ones (64-bit Windows requires the decoration).
std::vector<const inf::InfSection*> ModelsFor(const inf::InfFile& inf, PackageArch arch) {
  std::vector<const inf::InfSection*> sections;
  for (const inf::ModelsSectionRef& ref : inf::FollowManufacturer(inf)) {
    if (ref.section == nullptr) {
      continue;
    }
    const std::string decoration_arch = inf::ArchitectureOfDecoration(ref.decoration);
    const bool matches = decoration_arch == PackageArchName(arch) ||
                         (arch == PackageArch::kX86 && decoration_arch.empty());
    if (matches) {
      sections.push_back(ref.section);
    }
  }
  return sections;
}

void CheckCopyLists(const inf::InfFile& inf, PackageArch arch,
                    const std::map<std::string, SourceFileEntry>& source_files,
                    Problems* problems) {
  std::vector<std::string> install_sections;
  for (const inf::InfSection* models : ModelsFor(inf, arch)) {
    for (const inf::ModelEntry& entry : inf::ReadModels(*models)) {
      if (!entry.install_section.empty()) {
        install_sections.push_back(entry.install_section);
      }
    }
  }
  install_sections.push_back("DefaultInstall");
  std::set<std::string> visited;
  for (const std::string& install : install_sections) {
    std::string resolved;
    const inf::InfSection* section =
        inf::ResolveInstallSection(inf, install, PackageArchName(arch), &resolved);
    if (section == nullptr || !visited.insert(inf::ToLowerAscii(resolved)).second) {
      continue;
    }
    std::vector<const inf::InfSection*> with_copies = {section};
    if (const inf::InfSection* co = inf.FindSection(resolved + ".CoInstallers")) {
      with_copies.push_back(co);
    }
    for (const inf::InfSection* holder : with_copies) {
      for (const inf::InfLine& line : holder->lines) {
        if (!line.has_key || !inf::EqualsIgnoreCase(line.key, "CopyFiles")) {
          continue;
        }
        for (const std::string& value : line.values) {
          std::vector<std::pair<std::string, int>> sources;  // name, line
          if (!value.empty() && value[0] == '@') {
            sources.emplace_back(value.substr(1), line.line_number);
          } else if (const inf::InfSection* list = inf.FindSection(value)) {
            for (const inf::InfLine& file_line : list->lines) {
              const std::string_view destination = file_line.field(1);
              const std::string_view source = file_line.field(2);
              sources.emplace_back(std::string(source.empty() ? destination : source),
                                   file_line.line_number);
            }
          } else if (!value.empty()) {
            problems->Add(line.line_number,
                          "CopyFiles names section [" + value + "], which the INF does not define");
          }
          for (const auto& [name, number] : sources) {
            if (source_files.count(inf::ToLowerAscii(name)) == 0) {
              problems->Add(number, "'" + name + "' is copied by [" + holder->name +
                                        "] but not listed in [SourceDisksFiles." +
                                        std::string(PackageArchName(arch)) +
                                        "] or [SourceDisksFiles]");
            }
          }
        }
      }
    }
  }
}

std::vector<std::string> HardwareIds(const inf::InfFile& inf, PackageArch arch) {
  std::vector<std::string> ids;
  std::set<std::string> seen;
  for (const inf::InfSection* models : ModelsFor(inf, arch)) {
    for (const inf::ModelEntry& entry : inf::ReadModels(*models)) {
      for (const std::string& id : entry.ids) {
        const std::string lower = inf::ToLowerAscii(id);
        if (!lower.empty() && seen.insert(lower).second) {
          ids.push_back(lower);
        }
      }
    }
  }
  return ids;
}

}  // namespace

std::string_view PackageArchName(PackageArch arch) {
  return arch == PackageArch::kX86 ? "x86" : "amd64";
}

std::optional<PackageArch> ParsePackageArch(std::string_view text) {
  if (text == "x86") {
    return PackageArch::kX86;
  }
  if (text == "amd64" || text == "x64") {
    return PackageArch::kAmd64;
  }
  return std::nullopt;
}

bool IsPlainFileName(std::string_view name) {
  constexpr std::string_view kReserved = "<>:\"/\\|?*";
  if (name.empty() || name == "." || name == ".." || name.front() == ' ' || name.back() == ' ' ||
      name.back() == '.') {
    return false;
  }
  return std::all_of(name.begin(), name.end(), [&](char c) {
    return c >= 0x20 && c <= 0x7e && kReserved.find(c) == std::string_view::npos;
  });
}

PackageContents ReadPackageContents(const inf::InfFile& inf,
                                    const std::filesystem::path& package_dir, PackageArch arch) {
  Problems problems(inf.file_name());
  PackageContents contents;
  contents.catalog_name = CatalogName(inf, arch, &problems);
  const std::map<std::string, DiskEntry> disks = ReadDisks(inf, arch, &problems);
  const std::map<std::string, SourceFileEntry> source_files = ReadSourceFiles(inf, arch, &problems);
  CheckCopyLists(inf, arch, source_files, &problems);
  contents.hardware_ids = HardwareIds(inf, arch);

  for (const auto& [key, entry] : source_files) {
    const auto disk = disks.find(entry.disk_id);
    if (disk == disks.end()) {
      problems.Add(entry.line_number, "'" + entry.name + "' is on disk '" + entry.disk_id +
                                          "', which [SourceDisksNames." +
                                          std::string(PackageArchName(arch)) +
                                          "] / [SourceDisksNames] does not define");
      continue;
    }
    std::vector<std::string> components;
    if (!SplitRelativePath(disk->second.path, &components) ||
        !SplitRelativePath(entry.subdirectory, &components)) {
      problems.Add(entry.line_number, "the folder of '" + entry.name + "' ('" + disk->second.path +
                                          "', '" + entry.subdirectory +
                                          "') is not a relative path inside the package");
      continue;
    }
    std::filesystem::path relative;
    std::filesystem::path folder = package_dir;
    std::string error;
    bool found = true;
    for (const std::string& component : components) {
      const std::optional<std::string> on_disk = FindEntry(folder, component, true, &error);
      if (!on_disk) {
        found = false;
        break;
      }
      folder /= *on_disk;
      relative /= *on_disk;
    }
    std::optional<std::string> file_name;
    if (found) {
      file_name = FindEntry(folder, entry.name, false, &error);
    }
    if (!file_name) {
      problems.Add(entry.line_number, "'" + entry.name + "' (listed in [" + entry.section +
                                          "]) is not in the package: " + error);
      continue;
    }
    contents.files.push_back(
        ReferencedFile{entry.name, relative / *file_name, entry.section, entry.line_number});
  }
  problems.ThrowIfAny();
  return contents;
}

}  // namespace aero::catalog

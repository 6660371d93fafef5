#include "cli.h"

#include <unistd.h>

#include <filesystem>
#include <memory>
#include <optional>

#include "contract_loader.h"
#include "generators.h"
#include "id_scan.h"
#include "inf_check.h"
#include "json_reader.h"
#include "outputs.h"
#include "repo_files.h"
#include "unified_diff.h"

namespace aero::contract_tool {
namespace {

namespace fs = std::filesystem;

constexpr char kUsage[] =
    "usage:\n"
    "  aero-contract validate [--root DIR] [--contract FILE] [--schema FILE]\n"
    "  aero-contract generate --root DIR [--out-dir DIR] [--contract FILE] [--schema FILE]\n"
    "  aero-contract check --root DIR [--contract FILE] [--schema FILE]\n"
    "\n"
    "validate  checks the contract against its JSON Schema and the invariants\n"
    "generate  writes the header, CONTRACT.md, devices.cmd and the models region of marked INFs\n"
    "          (under --out-dir instead of --root when given)\n"
    "check     fails if a generated file drifted, an INF disagrees with the contract, or a\n"
    "          driver source spells a PCI ID literally\n"
    "\n"
    "Defaults: --contract ROOT/contract/aero-contract.json (ROOT = --root or the current\n"
    "directory), --schema aero-contract.schema.json next to the contract.\n"
    "Exit codes: 0 ok, 1 validation or check failure, 2 usage or I/O error.\n";

struct Options {
  std::string command;
  std::optional<fs::path> root;
  std::optional<fs::path> out_dir;
  std::optional<fs::path> contract;
  std::optional<fs::path> schema;
};

bool ParseArgs(const std::vector<std::string>& args, Options* options, std::string* error) {
  if (args.empty()) {
    *error = "missing command";
    return false;
  }
  options->command = args[0];
  if (options->command != "validate" && options->command != "generate" &&
      options->command != "check") {
    *error = "unknown command '" + options->command + "'";
    return false;
  }
  for (std::size_t i = 1; i < args.size(); ++i) {
    const std::string& flag = args[i];
    std::optional<fs::path>* target = nullptr;
    if (flag == "--root") {
      target = &options->root;
    } else if (flag == "--out-dir" && options->command == "generate") {
      target = &options->out_dir;
    } else if (flag == "--contract") {
      target = &options->contract;
    } else if (flag == "--schema") {
      target = &options->schema;
    } else {
      *error = "unknown option '" + flag + "' for " + options->command;
      return false;
    }
    if (i + 1 >= args.size() || args[i + 1].empty()) {
      *error = "option " + flag + " needs a value";
      return false;
    }
    if (target->has_value()) {
      *error = "option " + flag + " given twice";
      return false;
    }
    *target = fs::path(args[++i]);
  }
  if ((options->command == "generate" || options->command == "check") && !options->root) {
    *error = options->command + " needs --root";
    return false;
  }
  return true;
}

// Names files relative to the root when they are inside it.
std::string Display(const fs::path& path, const fs::path& root) {
  const fs::path relative = path.lexically_relative(root);
  if (!relative.empty() && *relative.begin() != "..") {
    return DisplayPath(relative);
  }
  return DisplayPath(path);
}

class Command {
 public:
  Command(Options options, std::ostream& out, std::ostream& err)
      : options_(std::move(options)), out_(out), err_(err) {
    root_ = options_.root.value_or(fs::path("."));
    contract_path_ = options_.contract.value_or(root_ / kContractPath);
    schema_path_ =
        options_.schema.value_or(contract_path_.parent_path() / fs::path(kSchemaPath).filename());
  }

  int Run() {
    if (options_.root && !fs::is_directory(*options_.root)) {
      err_ << DisplayPath(*options_.root) << ": not a directory\n";
      return kExitUsage;
    }
    const int loaded = Load();
    if (loaded != kExitOk) {
      return loaded;
    }
    if (options_.command == "validate") {
      out_ << Display(contract_path_, root_) << ": OK (" << contract_->devices.size()
           << " devices, " << contract_->drivers.size() << " drivers, contract " << contract_->name
           << " " << contract_->version_major << "." << contract_->version_minor << ")\n";
      return kExitOk;
    }
    if (options_.command == "generate") {
      return Generate();
    }
    return Check();
  }

 private:
  int Load() {
    const std::string contract_name = Display(contract_path_, root_);
    const std::string schema_name = Display(schema_path_, root_);
    std::string schema_text;
    std::string contract_text;
    std::string error;
    if (!ReadFileToString(schema_path_, kMaxJsonBytes, &schema_text, &error)) {
      err_ << schema_name << ": " << error << "\n";
      return kExitUsage;
    }
    if (!ReadFileToString(contract_path_, kMaxJsonBytes, &contract_text, &error)) {
      err_ << contract_name << ": " << error << "\n";
      return kExitUsage;
    }
    JsonParseResult schema_json = ParseJsonStrict(schema_text, schema_name);
    if (!schema_json.json) {
      PrintDiagnostics(schema_json.errors, err_);
      return kExitUsage;
    }
    std::vector<Diagnostic> schema_errors;
    std::unique_ptr<SchemaChecker> schema =
        SchemaChecker::Create(*schema_json.json, schema_name, &schema_errors);
    if (!schema) {
      PrintDiagnostics(schema_errors, err_);
      return kExitUsage;
    }
    LoadResult result = LoadContractText(contract_text, contract_name, *schema);
    if (!result.ok()) {
      PrintDiagnostics(result.errors, err_);
      err_ << contract_name << ": " << result.errors.size() << " error(s)\n";
      return kExitCheckFailed;
    }
    contract_ = std::move(result.contract);
    return kExitOk;
  }

  int Generate() {
    Outputs outputs = ComputeOutputs(*contract_, root_);
    if (!outputs.errors.empty()) {
      PrintDiagnostics(outputs.errors, err_);
      return kExitCheckFailed;
    }
    std::string log;
    std::vector<Diagnostic> errors;
    const bool ok = WriteOutputs(outputs, options_.out_dir.value_or(root_), &log, &errors);
    out_ << log;
    if (!ok) {
      PrintDiagnostics(errors, err_);
      return kExitUsage;
    }
    return kExitOk;
  }

  int Check() {
    Outputs outputs = ComputeOutputs(*contract_, root_);
    std::vector<Diagnostic> problems = outputs.errors;
    // Regenerate into a scratch directory with the same writer `generate` uses, then compare.
    std::string temp_template = (fs::temp_directory_path() / "aero-contract-check-XXXXXX").string();
    if (::mkdtemp(temp_template.data()) == nullptr) {
      err_ << "cannot create a temporary directory under " << fs::temp_directory_path() << "\n";
      return kExitUsage;
    }
    const fs::path scratch(temp_template);
    std::string log;
    std::vector<Diagnostic> write_errors;
    const bool written = WriteOutputs(outputs, scratch, &log, &write_errors);
    if (!written) {
      std::error_code ec;
      fs::remove_all(scratch, ec);
      PrintDiagnostics(write_errors, err_);
      return kExitUsage;
    }
    int drifted = 0;
    const std::string regenerate = "run: aero-contract generate --root " + DisplayPath(root_);
    for (const OutputFile& file : outputs.files) {
      const std::string name = DisplayPath(file.relative_path);
      std::string fresh;
      std::string committed;
      std::string error;
      if (!ReadFileToString(scratch / file.relative_path, 64u << 20, &fresh, &error)) {
        problems.push_back(InFile(name, "cannot read the regenerated copy: " + error));
        continue;
      }
      if (!fs::exists(root_ / file.relative_path)) {
        problems.push_back(InFile(name, "generated file is missing (" + regenerate + ")"));
        ++drifted;
        continue;
      }
      if (!ReadFileToString(root_ / file.relative_path, 64u << 20, &committed, &error)) {
        problems.push_back(InFile(name, error));
        continue;
      }
      if (committed != fresh) {
        ++drifted;
        problems.push_back(InFile(
            name, "differs from what the contract generates (" + regenerate + "):\n" +
                      UnifiedDiff(committed, fresh, "a/" + name, "b/" + name + " (generated)")));
      }
    }
    std::error_code ec;
    fs::remove_all(scratch, ec);

    int infs = 0;
    std::vector<Diagnostic> inf_problems = CheckRepositoryInfs(*contract_, root_, &infs);
    problems.insert(problems.end(), inf_problems.begin(), inf_problems.end());
    int sources = 0;
    std::vector<Diagnostic> literal_ids = ScanRepositorySources(*contract_, root_, &sources);
    problems.insert(problems.end(), literal_ids.begin(), literal_ids.end());

    if (!problems.empty()) {
      PrintDiagnostics(problems, err_);
      err_ << "check failed: " << problems.size() << " problem(s)\n";
      return kExitCheckFailed;
    }
    out_ << "check: OK (" << outputs.files.size() << " generated files up to date, " << infs
         << " INF(s) match the contract, " << sources << " driver source(s) free of literal IDs)\n";
    return kExitOk;
  }

  Options options_;
  std::ostream& out_;
  std::ostream& err_;
  fs::path root_;
  fs::path contract_path_;
  fs::path schema_path_;
  std::optional<Contract> contract_;
};

}  // namespace

int RunCli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  if (!args.empty() && (args[0] == "--help" || args[0] == "-h" || args[0] == "help")) {
    out << kUsage;
    return kExitOk;
  }
  Options options;
  std::string error;
  if (!ParseArgs(args, &options, &error)) {
    err << "aero-contract: " << error << "\n\n" << kUsage;
    return kExitUsage;
  }
  try {
    return Command(std::move(options), out, err).Run();
  } catch (const std::exception& e) {
    err << "aero-contract: " << e.what() << "\n";
    return kExitUsage;
  }
}

}  // namespace aero::contract_tool

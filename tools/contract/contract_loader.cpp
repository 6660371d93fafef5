#include "contract_loader.h"

#include "invariants.h"
#include "json_reader.h"

namespace aero::contract_tool {
namespace {

using nlohmann::json;

class Converter {
 public:
  explicit Converter(std::string file) : file_(std::move(file)) {}

  std::vector<Diagnostic>& errors() { return errors_; }

  const json* Member(const json& object, const std::string& pointer, const char* key) {
    if (!object.is_object()) {
      Error(pointer, "expected an object");
      return nullptr;
    }
    auto found = object.find(key);
    if (found == object.end()) {
      Error(pointer, std::string("missing required property '") + key + "'");
      return nullptr;
    }
    return &*found;
  }

  bool String(const json& object, const std::string& pointer, const char* key, std::string* out) {
    const json* value = Member(object, pointer, key);
    if (value == nullptr) {
      return false;
    }
    if (!value->is_string()) {
      return Error(pointer + "/" + key, "expected a string");
    }
    *out = value->get<std::string>();
    return true;
  }

  // Optional string member; absent leaves `out` unchanged.
  bool OptionalString(const json& object, const std::string& pointer, const char* key,
                      std::string* out) {
    if (!object.is_object() || !object.contains(key)) {
      return true;
    }
    return String(object, pointer, key, out);
  }

  bool Bool(const json& object, const std::string& pointer, const char* key, bool* out) {
    const json* value = Member(object, pointer, key);
    if (value == nullptr) {
      return false;
    }
    if (!value->is_boolean()) {
      return Error(pointer + "/" + key, "expected true or false");
    }
    *out = value->get<bool>();
    return true;
  }

  bool Integer(const json& object, const std::string& pointer, const char* key, std::uint64_t max,
               std::uint64_t* out) {
    const json* value = Member(object, pointer, key);
    if (value == nullptr) {
      return false;
    }
    if (!value->is_number_integer() ||
        (value->is_number_integer() && !value->is_number_unsigned() &&
         value->get<std::int64_t>() < 0)) {
      return Error(pointer + "/" + key, "expected a non-negative integer");
    }
    const std::uint64_t v = value->get<std::uint64_t>();
    if (v > max) {
      return Error(pointer + "/" + key,
                   "value " + std::to_string(v) + " exceeds " + std::to_string(max));
    }
    *out = v;
    return true;
  }

  template <typename T>
  bool IntegerAs(const json& object, const std::string& pointer, const char* key, T* out) {
    std::uint64_t v = 0;
    if (!Integer(object, pointer, key, static_cast<std::uint64_t>(static_cast<T>(~T{0})), &v)) {
      return false;
    }
    *out = static_cast<T>(v);
    return true;
  }

  // "0x" followed by upper-case hex digits, at most `max`.
  bool Hex(const json& object, const std::string& pointer, const char* key, std::uint64_t max,
           std::uint64_t* out) {
    std::string text;
    if (!String(object, pointer, key, &text)) {
      return false;
    }
    const std::string where = pointer + "/" + key;
    if (text.size() < 3 || text.size() > 18 || text[0] != '0' || text[1] != 'x') {
      return Error(where, "expected a hex string such as \"0x1AF4\", got \"" + text + "\"");
    }
    std::uint64_t value = 0;
    for (std::size_t i = 2; i < text.size(); ++i) {
      const char c = text[i];
      unsigned digit = 0;
      if (c >= '0' && c <= '9') {
        digit = static_cast<unsigned>(c - '0');
      } else if (c >= 'A' && c <= 'F') {
        digit = static_cast<unsigned>(c - 'A' + 10);
      } else {
        return Error(where, "expected upper-case hex digits, got \"" + text + "\"");
      }
      value = (value << 4) | digit;
    }
    if (value > max) {
      return Error(where, "value " + text + " is out of range");
    }
    *out = value;
    return true;
  }

  template <typename T>
  bool HexAs(const json& object, const std::string& pointer, const char* key, T* out) {
    std::uint64_t v = 0;
    if (!Hex(object, pointer, key, static_cast<std::uint64_t>(static_cast<T>(~T{0})), &v)) {
      return false;
    }
    *out = static_cast<T>(v);
    return true;
  }

  const json* Array(const json& object, const std::string& pointer, const char* key) {
    const json* value = Member(object, pointer, key);
    if (value != nullptr && !value->is_array()) {
      Error(pointer + "/" + key, "expected an array");
      return nullptr;
    }
    return value;
  }

  bool Error(const std::string& pointer, std::string message) {
    errors_.push_back(AtPointer(file_, pointer, std::move(message)));
    return false;
  }

  void Features(const json& object, const std::string& pointer, FeatureSets* out) {
    const json* features = Member(object, pointer, "features");
    if (features == nullptr) {
      return;
    }
    const std::string base = pointer + "/features";
    const std::pair<const char*, std::vector<Feature>*> sets[] = {
        {"required", &out->required}, {"optional", &out->optional}, {"forbidden", &out->forbidden}};
    for (const auto& [key, list] : sets) {
      const json* array = Array(*features, base, key);
      if (array == nullptr) {
        continue;
      }
      for (std::size_t i = 0; i < array->size(); ++i) {
        const std::string p = base + "/" + key + "/" + std::to_string(i);
        const json& item = (*array)[i];
        Feature feature;
        feature.pointer = p;
        String(item, p, "name", &feature.name);
        IntegerAs(item, p, "bit", &feature.bit);
        Bool(item, p, "offered", &feature.offered);
        list->push_back(std::move(feature));
      }
    }
  }

 private:
  std::string file_;
  std::vector<Diagnostic> errors_;
};

void ConvertPci(Converter& c, const json& device, const std::string& pointer, PciIdentity* pci) {
  const json* object = c.Member(device, pointer, "pci");
  if (object == nullptr) {
    return;
  }
  const std::string p = pointer + "/pci";
  pci->pointer = p;
  c.HexAs(*object, p, "vendor_id", &pci->vendor_id);
  c.HexAs(*object, p, "device_id", &pci->device_id);
  c.HexAs(*object, p, "subsystem_vendor_id", &pci->subsystem_vendor_id);
  c.HexAs(*object, p, "subsystem_id", &pci->subsystem_id);
  c.HexAs(*object, p, "revision_id", &pci->revision_id);
  const json* cls = c.Member(*object, p, "class_code");
  if (cls != nullptr) {
    const std::string cp = p + "/class_code";
    c.HexAs(*cls, cp, "base", &pci->class_code.base);
    c.HexAs(*cls, cp, "subclass", &pci->class_code.subclass);
    c.HexAs(*cls, cp, "prog_if", &pci->class_code.prog_if);
  }
}

void ConvertBars(Converter& c, const json& device, const std::string& pointer,
                 std::vector<Bar>* bars) {
  const json* array = c.Array(device, pointer, "bars");
  if (array == nullptr) {
    return;
  }
  for (std::size_t i = 0; i < array->size(); ++i) {
    const std::string p = pointer + "/bars/" + std::to_string(i);
    const json& item = (*array)[i];
    Bar bar;
    bar.pointer = p;
    c.IntegerAs(item, p, "index", &bar.index);
    std::string type;
    if (c.String(item, p, "type", &type)) {
      if (type == "mmio32") {
        bar.type = BarType::kMmio32;
      } else if (type == "mmio64") {
        bar.type = BarType::kMmio64;
      } else if (type == "mmio") {
        bar.type = BarType::kMmio;
      } else if (type == "io") {
        bar.type = BarType::kIo;
      } else {
        c.Error(p + "/type", "unknown BAR type \"" + type + "\"");
      }
    }
    c.Bool(item, p, "prefetchable", &bar.prefetchable);
    c.Hex(item, p, "size", ~std::uint64_t{0}, &bar.size);
    c.OptionalString(item, p, "note", &bar.note);
    const json* regions = c.Array(item, p, "regions");
    if (regions != nullptr) {
      for (std::size_t r = 0; r < regions->size(); ++r) {
        const std::string rp = p + "/regions/" + std::to_string(r);
        const json& region_json = (*regions)[r];
        BarRegion region;
        region.pointer = rp;
        c.String(region_json, rp, "name", &region.name);
        if (region_json.is_object() && region_json.contains("virtio_cfg_type")) {
          std::uint32_t cfg_type = 0;
          if (c.IntegerAs(region_json, rp, "virtio_cfg_type", &cfg_type)) {
            region.virtio_cfg_type = cfg_type;
          }
        }
        c.Hex(region_json, rp, "offset", ~std::uint64_t{0}, &region.offset);
        c.Hex(region_json, rp, "length", ~std::uint64_t{0}, &region.length);
        c.OptionalString(region_json, rp, "note", &region.note);
        bar.regions.push_back(std::move(region));
      }
    }
    bars->push_back(std::move(bar));
  }
}

void ConvertDevice(Converter& c, const json& item, const std::string& p, Device* device) {
  device->pointer = p;
  c.String(item, p, "name", &device->name);
  std::string kind;
  if (c.String(item, p, "kind", &kind)) {
    if (kind == "virtio") {
      device->kind = DeviceKind::kVirtio;
    } else if (kind == "aerogpu") {
      device->kind = DeviceKind::kAerogpu;
    } else {
      c.Error(p + "/kind", "unknown device kind \"" + kind + "\"");
    }
  }
  c.String(item, p, "driver", &device->driver);
  c.String(item, p, "description", &device->description);
  ConvertPci(c, item, p, &device->pci);
  const json* ids = c.Array(item, p, "hardware_ids");
  if (ids != nullptr) {
    for (std::size_t i = 0; i < ids->size(); ++i) {
      if (!(*ids)[i].is_string()) {
        c.Error(p + "/hardware_ids/" + std::to_string(i), "expected a string");
        continue;
      }
      device->hardware_ids.push_back((*ids)[i].get<std::string>());
    }
  }
  ConvertBars(c, item, p, &device->bars);
  const json* interrupts = c.Member(item, p, "interrupts");
  if (interrupts != nullptr) {
    std::string intx;
    std::string msix;
    if (c.String(*interrupts, p + "/interrupts", "intx", &intx)) {
      device->intx_mandatory = intx == "mandatory";
    }
    if (c.String(*interrupts, p + "/interrupts", "msix", &msix)) {
      device->msix = msix == "optional" ? MsixSupport::kOptional : MsixSupport::kUnsupported;
    }
  }
  const json* config = c.Member(item, p, "device_config");
  if (config != nullptr) {
    const std::string cp = p + "/device_config";
    c.String(*config, cp, "region", &device->device_config_region);
    const json* fields = c.Array(*config, cp, "fields");
    if (fields != nullptr) {
      for (std::size_t i = 0; i < fields->size(); ++i) {
        const std::string fp = cp + "/fields/" + std::to_string(i);
        const json& f = (*fields)[i];
        ConfigField field;
        field.pointer = fp;
        c.String(f, fp, "name", &field.name);
        c.Hex(f, fp, "offset", ~std::uint64_t{0}, &field.offset);
        c.Integer(f, fp, "size", ~std::uint64_t{0}, &field.size);
        c.OptionalString(f, fp, "note", &field.note);
        device->config_fields.push_back(std::move(field));
      }
    }
  }
  if (item.is_object() && item.contains("virtio")) {
    const json& v = item["virtio"];
    const std::string vp = p + "/virtio";
    VirtioDevice virtio;
    virtio.pointer = vp;
    c.IntegerAs(v, vp, "type", &virtio.type);
    c.HexAs(v, vp, "transitional_device_id", &virtio.transitional_device_id);
    c.IntegerAs(v, vp, "notify_off_multiplier", &virtio.notify_off_multiplier);
    const json* queues = c.Array(v, vp, "queues");
    if (queues != nullptr) {
      for (std::size_t i = 0; i < queues->size(); ++i) {
        const std::string qp = vp + "/queues/" + std::to_string(i);
        const json& q = (*queues)[i];
        Queue queue;
        queue.pointer = qp;
        c.IntegerAs(q, qp, "index", &queue.index);
        c.String(q, qp, "name", &queue.name);
        c.IntegerAs(q, qp, "size", &queue.size);
        virtio.queues.push_back(std::move(queue));
      }
    }
    c.Features(v, vp, &virtio.features);
    device->virtio = std::move(virtio);
  }
  if (item.is_object() && item.contains("aerogpu")) {
    const json& g = item["aerogpu"];
    const std::string gp = p + "/aerogpu";
    AerogpuDevice gpu;
    gpu.pointer = gp;
    const json* abi = c.Member(g, gp, "abi_version");
    if (abi != nullptr) {
      c.IntegerAs(*abi, gp + "/abi_version", "major", &gpu.abi_major);
      c.IntegerAs(*abi, gp + "/abi_version", "minor", &gpu.abi_minor);
    }
    c.HexAs(g, gp, "mmio_magic", &gpu.mmio_magic);
    c.Features(g, gp, &gpu.features);
    device->aerogpu = std::move(gpu);
  }
}

void ConvertDriver(Converter& c, const json& item, const std::string& p, Driver* driver) {
  driver->pointer = p;
  c.String(item, p, "name", &driver->name);
  c.String(item, p, "description", &driver->description);
  c.String(item, p, "inf", &driver->inf);
  c.String(item, p, "sys", &driver->sys);
  c.String(item, p, "service", &driver->service);
  c.String(item, p, "class", &driver->class_name);
  c.String(item, p, "class_guid", &driver->class_guid);
  std::string text;
  if (c.String(item, p, "service_type", &text)) {
    if (text != "kernel_driver") {
      c.Error(p + "/service_type", "unknown service type \"" + text + "\"");
    }
    driver->service_type = kServiceKernelDriver;
  }
  if (c.String(item, p, "start_type", &text)) {
    if (text == "boot") {
      driver->start_type = StartType::kBoot;
    } else if (text == "system") {
      driver->start_type = StartType::kSystem;
    } else if (text == "auto") {
      driver->start_type = StartType::kAuto;
    } else if (text == "demand") {
      driver->start_type = StartType::kDemand;
    } else {
      c.Error(p + "/start_type", "unknown start type \"" + text + "\"");
    }
  }
  if (c.String(item, p, "error_control", &text)) {
    if (text == "ignore") {
      driver->error_control = ErrorControl::kIgnore;
    } else if (text == "normal") {
      driver->error_control = ErrorControl::kNormal;
    } else if (text == "severe") {
      driver->error_control = ErrorControl::kSevere;
    } else if (text == "critical") {
      driver->error_control = ErrorControl::kCritical;
    } else {
      c.Error(p + "/error_control", "unknown error control \"" + text + "\"");
    }
  }
  const json* group = c.Member(item, p, "load_order_group");
  if (group != nullptr) {
    if (group->is_string()) {
      driver->load_order_group = group->get<std::string>();
    } else if (!group->is_null()) {
      c.Error(p + "/load_order_group", "expected a string or null");
    }
  }
  c.Bool(item, p, "boot_critical", &driver->boot_critical);
  const json* models = c.Member(item, p, "inf_models");
  if (models != nullptr) {
    const std::string mp = p + "/inf_models";
    c.String(*models, mp, "section", &driver->inf_models.section);
    c.String(*models, mp, "install_section", &driver->inf_models.install_section);
    const json* decorations = c.Array(*models, mp, "decorations");
    if (decorations != nullptr) {
      for (std::size_t i = 0; i < decorations->size(); ++i) {
        if (!(*decorations)[i].is_string()) {
          c.Error(mp + "/decorations/" + std::to_string(i), "expected a string");
          continue;
        }
        driver->inf_models.decorations.push_back((*decorations)[i].get<std::string>());
      }
    }
  }
}

}  // namespace

LoadResult ConvertContract(const json& doc, const std::string& file_name) {
  Converter c(file_name);
  Contract contract;
  const json* header = c.Member(doc, "", "contract");
  if (header != nullptr) {
    c.String(*header, "/contract", "name", &contract.name);
    c.String(*header, "/contract", "description", &contract.description);
    const json* version = c.Member(*header, "/contract", "version");
    if (version != nullptr) {
      c.IntegerAs(*version, "/contract/version", "major", &contract.version_major);
      c.IntegerAs(*version, "/contract/version", "minor", &contract.version_minor);
    }
  }
  const json* virtio = c.Member(doc, "", "virtio");
  if (virtio != nullptr) {
    VirtioCommon& v = contract.virtio;
    v.pointer = "/virtio";
    c.HexAs(*virtio, "/virtio", "vendor_id", &v.vendor_id);
    c.HexAs(*virtio, "/virtio", "modern_device_id_base", &v.modern_device_id_base);
    const json* range = c.Member(*virtio, "/virtio", "transitional_device_ids");
    if (range != nullptr) {
      c.HexAs(*range, "/virtio/transitional_device_ids", "first", &v.transitional_first);
      c.HexAs(*range, "/virtio/transitional_device_ids", "last", &v.transitional_last);
    }
    c.HexAs(*virtio, "/virtio", "vendor_capability_id", &v.vendor_capability_id);
    c.IntegerAs(*virtio, "/virtio", "min_capability_length", &v.min_capability_length);
    c.IntegerAs(*virtio, "/virtio", "min_notify_capability_length",
                &v.min_notify_capability_length);
    c.Hex(*virtio, "/virtio", "common_cfg_used_length", ~std::uint64_t{0},
          &v.common_cfg_used_length);
    c.IntegerAs(*virtio, "/virtio", "isr_queue_bit", &v.isr_queue_bit);
    c.IntegerAs(*virtio, "/virtio", "isr_config_bit", &v.isr_config_bit);
    c.HexAs(*virtio, "/virtio", "msix_no_vector", &v.msix_no_vector);
  }
  const json* drivers = c.Array(doc, "", "drivers");
  if (drivers != nullptr) {
    for (std::size_t i = 0; i < drivers->size(); ++i) {
      Driver driver;
      ConvertDriver(c, (*drivers)[i], "/drivers/" + std::to_string(i), &driver);
      contract.drivers.push_back(std::move(driver));
    }
  }
  const json* devices = c.Array(doc, "", "devices");
  if (devices != nullptr) {
    for (std::size_t i = 0; i < devices->size(); ++i) {
      Device device;
      ConvertDevice(c, (*devices)[i], "/devices/" + std::to_string(i), &device);
      contract.devices.push_back(std::move(device));
    }
  }
  const json* forbidden = c.Array(doc, "", "forbidden_identities");
  if (forbidden != nullptr) {
    for (std::size_t i = 0; i < forbidden->size(); ++i) {
      const std::string p = "/forbidden_identities/" + std::to_string(i);
      const json& item = (*forbidden)[i];
      ForbiddenIdentity identity;
      identity.pointer = p;
      c.HexAs(item, p, "vendor_id", &identity.vendor_id);
      if (item.is_object() && item.contains("device_id_first")) {
        std::uint16_t first = 0;
        if (c.HexAs(item, p, "device_id_first", &first)) {
          identity.device_id_first = first;
        }
      }
      if (item.is_object() && item.contains("device_id_last")) {
        std::uint16_t last = 0;
        if (c.HexAs(item, p, "device_id_last", &last)) {
          identity.device_id_last = last;
        }
      }
      c.String(item, p, "reason", &identity.reason);
      contract.forbidden.push_back(std::move(identity));
    }
  }
  LoadResult result;
  result.errors = std::move(c.errors());
  result.contract = std::move(contract);
  return result;
}

LoadResult LoadContractText(std::string_view text, const std::string& file_name,
                            const SchemaChecker& schema) {
  LoadResult result;
  JsonParseResult parsed = ParseJsonStrict(text, file_name);
  if (!parsed.json) {
    result.errors = std::move(parsed.errors);
    return result;
  }
  result.errors = schema.Check(*parsed.json, file_name);
  if (!result.errors.empty()) {
    return result;
  }
  result = ConvertContract(*parsed.json, file_name);
  if (!result.errors.empty()) {
    result.contract.reset();
    return result;
  }
  result.errors = CheckInvariants(*result.contract, file_name);
  return result;
}

}  // namespace aero::contract_tool

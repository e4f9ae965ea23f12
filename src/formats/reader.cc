#include "formats/reader.h"

namespace tessera::formats {

std::string SourcePosition::ToString() const {
  std::string out = file;
  if (line > 0) {
    out += ':' + std::to_string(line);
  } else if (byte_offset > 0 || record == 0) {
    out += "@byte " + std::to_string(byte_offset);
  }
  if (line == 0 && byte_offset == 0 && record > 0) out += " (record " + std::to_string(record) + ')';
  return out;
}

void Record::Add(const core::Json& object) {
  stix::StixObject out;
  auto text = [&](std::string_view key) -> std::string {
    const core::Json* v = object.Find(key);
    return v != nullptr && v->is_string() ? v->as_string() : std::string();
  };
  out.type = text("type");
  out.id = text("id");
  out.spec_version = text("spec_version");
  out.created = text("created");
  out.modified = text("modified");
  if (const core::Json* refs = object.Find("object_marking_refs"); refs && refs->is_array()) {
    std::vector<std::string> ids;
    for (const core::Json& ref : refs->as_array()) {
      if (ref.is_string()) ids.push_back(ref.as_string());
    }
    out.object_marking_refs = std::move(ids);
  }
  core::WriteJson(object, core::JsonStyle::kCompact, &out.json);
  objects.push_back(std::move(out));
}

void Rejected::SetRaw(std::string_view bytes) {
  truncated = bytes.size() > kMaxRawBytes;
  raw.assign(bytes.substr(0, kMaxRawBytes));
}

const std::string* ReadContext::Option(std::string_view key) const {
  for (const auto& [k, v] : options) {
    if (k == key) return &v;
  }
  return nullptr;
}

core::Status CheckOptions(const ReadContext& context, std::string_view format_name,
                          const std::vector<std::string_view>& keys) {
  for (const auto& [key, value] : context.options) {
    bool known = false;
    for (std::string_view k : keys) known = known || k == key;
    if (known) continue;
    std::string names;
    for (std::string_view k : keys) names.append(names.empty() ? "" : ", ").append(k);
    return core::MakeError(core::ErrorCode::kInvalidArgument,
                           "format '" + std::string(format_name) + "' has no option '" + key +
                               "'" +
                               (names.empty() ? " (it takes none)" : " (it takes: " + names + ")"));
  }
  return {};
}

core::Status CheckOptions(const ReadContext& context, const Format& format) {
  std::vector<std::string_view> keys;
  for (const auto& option : format.options) keys.push_back(option.first);
  return CheckOptions(context, format.name, keys);
}

}  // namespace tessera::formats

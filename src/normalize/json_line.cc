#include "normalize/json_line.h"

#include <cstring>
#include <string_view>

#include "core/json.h"

namespace tessera::normalize {
namespace {

using core::WriteJsonString;

constexpr size_t Escaped(size_t size) { return core::MaxJsonStringSize(size); }

char* Copy(char* out, std::string_view text) {
  std::memcpy(out, text.data(), text.size());
  return out + text.size();
}

// Lower-case 8-4-4-4-12 (RFC 9562 §4).
char* WriteUuid(char* out, const core::Uuid& uuid) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (size_t i = 0; i < uuid.bytes.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) *out++ = '-';
    *out++ = kHex[uuid.bytes[i] >> 4];
    *out++ = kHex[uuid.bytes[i] & 0xF];
  }
  return out;
}

}  // namespace

size_t JsonLineCapacity(const Observable& observable, const StixIdParts& id) {
  constexpr std::string_view kFixed = R"({"type":"","value":,"id":"--"}
)";
  size_t size = kFixed.size() + KindName(observable.kind).size() +
                Escaped(observable.value.size()) + id.type.size() + 36;
  for (const auto& [key, value] : observable.fields) {
    size += 4 + key.size() + Escaped(value.size());  // ,"key":
  }
  if (!observable.notes.empty()) {
    size += 11;  // ,"notes":[]
    for (const std::string& note : observable.notes) size += 1 + Escaped(note.size());
  }
  return size;
}

char* WriteJsonLine(const Observable& observable, const StixIdParts& id, char* out) {
  out = Copy(out, R"({"type":")");
  out = Copy(out, KindName(observable.kind));
  out = Copy(out, R"(","value":)");
  out = WriteJsonString(out, observable.value);
  out = Copy(out, R"(,"id":")");
  out = Copy(out, id.type);
  out = Copy(out, "--");
  out = WriteUuid(out, id.uuid);
  *out++ = '"';
  for (const auto& [key, value] : observable.fields) {
    out = Copy(out, R"(,")");
    out = Copy(out, key);
    out = Copy(out, R"(":)");
    out = WriteJsonString(out, value);
  }
  if (!observable.notes.empty()) {
    out = Copy(out, R"(,"notes":[)");
    for (size_t i = 0; i < observable.notes.size(); ++i) {
      if (i > 0) *out++ = ',';
      out = WriteJsonString(out, observable.notes[i]);
    }
    *out++ = ']';
  }
  out = Copy(out, "}\n");
  return out;
}

void AppendJsonLine(const Observable& observable, const StixIdParts& id, std::string* out) {
  const size_t at = out->size();
  out->resize(at + JsonLineCapacity(observable, id));
  char* end = WriteJsonLine(observable, id, out->data() + at);
  out->resize(static_cast<size_t>(end - out->data()));
}

}  // namespace tessera::normalize

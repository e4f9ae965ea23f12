#include "normalize/json_line.h"

#include <cstdint>
#include <cstring>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace tessera::normalize {
namespace {

// The longest a string becomes in JSON: quotes and every byte as \u00XX.
constexpr size_t Escaped(size_t size) { return 2 + 6 * size; }

char* Copy(char* out, std::string_view text) {
  std::memcpy(out, text.data(), text.size());
  return out + text.size();
}

}  // namespace

namespace detail {

// RFC 8259 §7 with the escapes core::AppendJsonString uses: the two-character
// forms for '"', '\\', \b \f \n \r \t, \u00XX for other control bytes,
// everything else (UTF-8 included) as it is.
char* WriteJsonString(char* out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  *out++ = '"';
  // Eight bytes at a time while none is below 0x20, '"' or '\\' (the "has a zero
  // byte" bit trick on the word, and on the word xor each of those two bytes).
  constexpr uint64_t kOnes = 0x0101010101010101ULL;
  constexpr uint64_t kHighs = 0x8080808080808080ULL;
  auto has_zero = [](uint64_t v) { return (v - kOnes) & ~v & kHighs; };
  size_t i = 0;
#if defined(__SSE2__)
  // Sixteen at a time where SSE2 is (every x86-64).
  const __m128i below_space = _mm_set1_epi8(0x1f);
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i backslash = _mm_set1_epi8('\\');
  for (; i + 16 <= s.size(); i += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + i));
    const __m128i special =
        _mm_or_si128(_mm_cmpeq_epi8(_mm_min_epu8(v, below_space), v),
                     _mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)));
    if (_mm_movemask_epi8(special) != 0) break;
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out), v);
    out += 16;
  }
#endif
  for (; i + 8 <= s.size(); i += 8) {
    uint64_t word;
    std::memcpy(&word, s.data() + i, 8);
    uint64_t special = ((word - kOnes * 0x20) & ~word & kHighs) | has_zero(word ^ (kOnes * '"')) |
                       has_zero(word ^ (kOnes * '\\'));
    if (special != 0) break;
    std::memcpy(out, &word, 8);
    out += 8;
  }
  for (; i < s.size(); ++i) {
    const char c = s[i];
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x20 && c != '"' && c != '\\') {
      *out++ = c;
      continue;
    }
    *out++ = '\\';
    switch (c) {
      case '"':
        *out++ = '"';
        break;
      case '\\':
        *out++ = '\\';
        break;
      case '\b':
        *out++ = 'b';
        break;
      case '\f':
        *out++ = 'f';
        break;
      case '\n':
        *out++ = 'n';
        break;
      case '\r':
        *out++ = 'r';
        break;
      case '\t':
        *out++ = 't';
        break;
      default:
        out = Copy(out, "u00");
        *out++ = kHex[u >> 4];
        *out++ = kHex[u & 0xF];
    }
  }
  *out++ = '"';
  return out;
}

}  // namespace detail

namespace {

using detail::WriteJsonString;

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

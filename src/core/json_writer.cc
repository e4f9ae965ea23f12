// Writing Json: compact and pretty output, RFC 8785 canonical form, the ES6 number
// format it needs, and the streaming JsonWriter.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "core/json.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace tessera::core {

namespace {

// Copies the longest prefix of `s` a JSON string carries as it is (no byte
// below 0x20, no '"', no '\\') to `*out`, advancing it; returns the prefix's
// length. Most strings are plain throughout.
size_t CopyPlainPrefix(std::string_view s, char** out) {
  size_t i = 0;
  char* o = *out;
#if defined(__SSE2__)
  // Sixteen bytes at a time where SSE2 is (every x86-64).
  const __m128i below_space = _mm_set1_epi8(0x1f);
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i backslash = _mm_set1_epi8('\\');
  for (; i + 16 <= s.size(); i += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + i));
    const __m128i special =
        _mm_or_si128(_mm_cmpeq_epi8(_mm_min_epu8(v, below_space), v),
                     _mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)));
    if (_mm_movemask_epi8(special) != 0) break;
    _mm_storeu_si128(reinterpret_cast<__m128i*>(o), v);
    o += 16;
  }
#endif
  // Eight at a time: a word needs a closer look when one of its bytes is below
  // 0x20, '"' or '\\' (the classic "has a zero byte" bit trick).
  constexpr uint64_t kOnes = 0x0101010101010101ULL;
  constexpr uint64_t kHighs = 0x8080808080808080ULL;
  auto has_zero = [](uint64_t v) { return (v - kOnes) & ~v & kHighs; };
  for (; i + 8 <= s.size(); i += 8) {
    uint64_t word;
    std::memcpy(&word, s.data() + i, 8);
    uint64_t special = ((word - kOnes * 0x20) & ~word & kHighs) | has_zero(word ^ (kOnes * '"')) |
                       has_zero(word ^ (kOnes * '\\'));
    if (special != 0) break;
    std::memcpy(o, &word, 8);
    o += 8;
  }
  for (; i < s.size(); ++i) {
    const char c = s[i];
    if (static_cast<unsigned char>(c) < 0x20 || c == '"' || c == '\\') break;
    *o++ = c;
  }
  *out = o;
  return i;
}

// The escape sequence of a byte CopyPlainPrefix stops at, at `out`; returns the end.
char* WriteEscape(char* out, char c) {
  static constexpr char kHex[] = "0123456789abcdef";
  *out++ = '\\';
  switch (c) {
    case '"':
    case '\\':
      *out++ = c;
      return out;
    case '\b':
      *out++ = 'b';
      return out;
    case '\f':
      *out++ = 'f';
      return out;
    case '\n':
      *out++ = 'n';
      return out;
    case '\r':
      *out++ = 'r';
      return out;
    case '\t':
      *out++ = 't';
      return out;
    default: {
      const auto u = static_cast<unsigned char>(c);
      std::memcpy(out, "u00", 3);
      out[3] = kHex[u >> 4];
      out[4] = kHex[u & 0xF];
      return out + 5;
    }
  }
}

}  // namespace

char* WriteJsonString(char* out, std::string_view s) {
  *out++ = '"';
  while (true) {
    const size_t plain = CopyPlainPrefix(s, &out);
    if (plain == s.size()) break;
    out = WriteEscape(out, s[plain]);
    s.remove_prefix(plain + 1);
  }
  *out++ = '"';
  return out;
}

void AppendJsonString(std::string* out, std::string_view s) {
  // A short string is escaped on the stack and appended at its real size: sizing
  // the string for the worst case (six bytes a byte) would zero-fill that room
  // and, near the capacity, reallocate for bytes that are never written.
  constexpr size_t kStackBytes = 1024;
  if (MaxJsonStringSize(s.size()) <= kStackBytes) {
    char buffer[kStackBytes];
    const char* end = WriteJsonString(buffer, s);
    out->append(buffer, static_cast<size_t>(end - buffer));
    return;
  }
  const size_t at = out->size();
  out->resize(at + MaxJsonStringSize(s.size()));
  char* end = WriteJsonString(out->data() + at, s);
  out->resize(static_cast<size_t>(end - out->data()));
}

// RFC 8785 §3.2.2.3 / ECMA-262 Number::toString. std::to_chars gives the shortest
// digit string that round-trips (what ECMA-262 asks for); the layout around it is
// ECMA-262's: with k digits and decimal exponent n (value = 0.digits x 10^n),
// plain notation for -6 < n <= 21, exponent form otherwise.
void AppendEs6Number(std::string* out, double d) {
  if (d == 0) {  // both +0 and -0
    out->push_back('0');
    return;
  }
  if (d < 0) {
    out->push_back('-');
    d = -d;
  }
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), d, std::chars_format::scientific);
  (void)ec;  // 64 bytes always suffice for a double
  std::string_view sci(buf, static_cast<size_t>(end - buf));
  size_t e_pos = sci.find('e');
  std::string digits;
  for (char c : sci.substr(0, e_pos)) {
    if (c != '.') digits.push_back(c);
  }
  int exp10 = std::atoi(std::string(sci.substr(e_pos + 1)).c_str());
  const int k = static_cast<int>(digits.size());
  const int n = exp10 + 1;

  if (k <= n && n <= 21) {
    *out += digits;
    out->append(static_cast<size_t>(n - k), '0');
  } else if (0 < n && n <= 21) {
    out->append(digits, 0, static_cast<size_t>(n));
    out->push_back('.');
    out->append(digits, static_cast<size_t>(n));
  } else if (-6 < n && n <= 0) {
    *out += "0.";
    out->append(static_cast<size_t>(-n), '0');
    *out += digits;
  } else {
    out->push_back(digits[0]);
    if (k > 1) {
      out->push_back('.');
      out->append(digits, 1);
    }
    out->push_back('e');
    out->push_back(n - 1 >= 0 ? '+' : '-');
    *out += std::to_string(std::abs(n - 1));
  }
}

namespace {

void AppendIndent(std::string* out, size_t depth) {
  out->push_back('\n');
  out->append(depth * 2, ' ');
}

void WriteValue(const Json& json, JsonStyle style, size_t depth, std::string* out) {
  const bool pretty = style == JsonStyle::kPretty;
  switch (json.type()) {
    case Json::Type::kNull:
      *out += "null";
      return;
    case Json::Type::kBool:
      *out += json.as_bool() ? "true" : "false";
      return;
    case Json::Type::kNumber:
      *out += json.as_number().literal;
      return;
    case Json::Type::kString:
      AppendJsonString(out, json.as_string());
      return;
    case Json::Type::kArray: {
      const Json::Array& arr = json.as_array();
      out->push_back('[');
      for (size_t i = 0; i < arr.size(); ++i) {
        if (i > 0) out->push_back(',');
        if (pretty) AppendIndent(out, depth + 1);
        WriteValue(arr[i], style, depth + 1, out);
      }
      if (pretty && !arr.empty()) AppendIndent(out, depth);
      out->push_back(']');
      return;
    }
    case Json::Type::kObject: {
      const Json::Object& obj = json.as_object();
      out->push_back('{');
      for (size_t i = 0; i < obj.size(); ++i) {
        if (i > 0) out->push_back(',');
        if (pretty) AppendIndent(out, depth + 1);
        AppendJsonString(out, obj[i].first);
        *out += pretty ? ": " : ":";
        WriteValue(obj[i].second, style, depth + 1, out);
      }
      if (pretty && !obj.empty()) AppendIndent(out, depth);
      out->push_back('}');
      return;
    }
  }
}

// UTF-8 to UTF-16 code units, for RFC 8785 §3.2.3 key ordering. Bytes that are not
// well-formed UTF-8 (possible only in programmatically built trees) map to U+FFFD.
std::u16string ToUtf16(std::string_view s) {
  std::u16string out;
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    auto b0 = static_cast<unsigned char>(s[i]);
    uint32_t cp = 0xFFFD;
    size_t len = 1;
    if (b0 < 0x80) {
      cp = b0;
    } else {
      size_t need = b0 >= 0xF0 ? 4 : b0 >= 0xE0 ? 3 : b0 >= 0xC0 ? 2 : 0;
      if (need > 0 && i + need <= s.size()) {
        uint32_t v = b0 & (0x7F >> need);
        bool ok = true;
        for (size_t k = 1; k < need; ++k) {
          auto b = static_cast<unsigned char>(s[i + k]);
          if ((b & 0xC0) != 0x80) {
            ok = false;
            break;
          }
          v = (v << 6) | (b & 0x3F);
        }
        if (ok && v <= 0x10FFFF) {
          cp = v;
          len = need;
        }
      }
    }
    if (cp >= 0x10000) {
      cp -= 0x10000;
      out.push_back(static_cast<char16_t>(0xD800 + (cp >> 10)));
      out.push_back(static_cast<char16_t>(0xDC00 + (cp & 0x3FF)));
    } else {
      out.push_back(static_cast<char16_t>(cp));
    }
    i += len;
  }
  return out;
}

void WriteCanonical(const Json& json, std::string* out) {
  switch (json.type()) {
    case Json::Type::kNumber:
      AppendEs6Number(out, json.as_double());
      return;
    case Json::Type::kArray: {
      out->push_back('[');
      bool first = true;
      for (const Json& v : json.as_array()) {
        if (!first) out->push_back(',');
        first = false;
        WriteCanonical(v, out);
      }
      out->push_back(']');
      return;
    }
    case Json::Type::kObject: {
      const Json::Object& obj = json.as_object();
      std::vector<std::pair<std::u16string, const Json::Member*>> sorted;
      sorted.reserve(obj.size());
      for (const Json::Member& m : obj) sorted.emplace_back(ToUtf16(m.first), &m);
      std::sort(sorted.begin(), sorted.end(),
                [](const auto& a, const auto& b) { return a.first < b.first; });
      out->push_back('{');
      bool first = true;
      for (const auto& [key16, member] : sorted) {
        if (!first) out->push_back(',');
        first = false;
        AppendJsonString(out, member->first);
        out->push_back(':');
        WriteCanonical(member->second, out);
      }
      out->push_back('}');
      return;
    }
    default:
      WriteValue(json, JsonStyle::kCompact, 0, out);
      return;
  }
}

}  // namespace

std::string WriteJson(const Json& json, JsonStyle style) {
  std::string out;
  WriteJson(json, style, &out);
  return out;
}

void WriteJson(const Json& json, JsonStyle style, std::string* out) {
  WriteValue(json, style, 0, out);
}

std::string CanonicalJson(const Json& json) {
  std::string out;
  CanonicalJson(json, &out);
  return out;
}

void CanonicalJson(const Json& json, std::string* out) { WriteCanonical(json, out); }

// ---------------------------------------------------------------------------
// JsonWriter

JsonWriter::JsonWriter(std::string* out, JsonStyle style) : out_(out), style_(style) {}

void JsonWriter::Newline() {
  if (style_ == JsonStyle::kPretty) AppendIndent(out_, first_.size());
}

void JsonWriter::BeforeValue() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (first_.empty()) return;  // top-level value
  if (!first_.back()) out_->push_back(',');
  first_.back() = false;
  Newline();
}

JsonWriter& JsonWriter::BeginObject() {
  BeforeValue();
  out_->push_back('{');
  first_.push_back(true);
  return *this;
}

JsonWriter& JsonWriter::EndObject() {
  bool empty = first_.back();
  first_.pop_back();
  if (!empty) Newline();
  out_->push_back('}');
  return *this;
}

JsonWriter& JsonWriter::BeginArray() {
  BeforeValue();
  out_->push_back('[');
  first_.push_back(true);
  return *this;
}

JsonWriter& JsonWriter::EndArray() {
  bool empty = first_.back();
  first_.pop_back();
  if (!empty) Newline();
  out_->push_back(']');
  return *this;
}

JsonWriter& JsonWriter::Key(std::string_view key) {
  BeforeValue();
  AppendJsonString(out_, key);
  *out_ += style_ == JsonStyle::kPretty ? ": " : ":";
  after_key_ = true;
  return *this;
}

JsonWriter& JsonWriter::String(std::string_view s) {
  BeforeValue();
  AppendJsonString(out_, s);
  return *this;
}

JsonWriter& JsonWriter::Int(int64_t i) {
  BeforeValue();
  *out_ += std::to_string(i);
  return *this;
}

JsonWriter& JsonWriter::Double(double d) {
  BeforeValue();
  if (std::isfinite(d)) {
    AppendEs6Number(out_, d);
  } else {
    *out_ += "null";  // JSON has no NaN or infinity
  }
  return *this;
}

JsonWriter& JsonWriter::Bool(bool b) {
  BeforeValue();
  *out_ += b ? "true" : "false";
  return *this;
}

JsonWriter& JsonWriter::Null() {
  BeforeValue();
  *out_ += "null";
  return *this;
}

JsonWriter& JsonWriter::Value(const Json& json) {
  BeforeValue();
  WriteValue(json, style_, first_.size(), out_);
  return *this;
}

}  // namespace tessera::core

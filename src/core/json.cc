// Json value methods and ParseJson (simdjson DOM underneath).
//
// Number literals: simdjson's DOM keeps only the parsed int64/uint64/double, not the
// text. To keep every literal exactly as written, a second linear pass over the
// (already validated) input collects the number tokens in document order; the DOM walk
// is also in document order, so the i-th number element gets the i-th literal. The
// double value comes from simdjson (correctly rounded). simdjson 3.0.1 rejects
// integers that do not fit in 64 bits, so when it reports a number error we look for
// such integers, blank them out to `0` in a copy of the input, re-parse, and take
// their value from std::from_chars on the literal.
#include "core/json.h"

#include <simdjson.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <string>
#include <system_error>
#include <unordered_set>

namespace tessera::core {

// ---------------------------------------------------------------------------
// Json value

Json Json::Bool(bool b) {
  Json j;
  j.v_ = b;
  return j;
}

Json Json::Int(int64_t i) {
  Json j;
  j.v_ = Number{std::to_string(i), static_cast<double>(i)};
  return j;
}

Json Json::Double(double d) {
  // A non-finite double has no JSON form; it is stored (and written) as null.
  if (!std::isfinite(d)) return Json();
  std::string literal;
  AppendEs6Number(&literal, d);
  Json j;
  j.v_ = Number{std::move(literal), d};
  return j;
}

Json Json::NumberLiteral(std::string literal, double value) {
  Json j;
  j.v_ = Number{std::move(literal), value};
  return j;
}

Json Json::String(std::string s) {
  Json j;
  j.v_ = std::move(s);
  return j;
}

Json Json::MakeArray(Array a) {
  Json j;
  j.v_ = std::move(a);
  return j;
}

Json Json::MakeObject(Object o) {
  Json j;
  j.v_ = std::move(o);
  return j;
}

bool Json::GetInt64(int64_t* out) const {
  if (!is_number()) return false;
  const Number& n = as_number();
  const std::string& lit = n.literal;
  // An integer literal is read exactly (doubles lose digits above 2^53).
  if (lit.find_first_of(".eE") == std::string::npos) {
    int64_t v = 0;
    auto [ptr, ec] = std::from_chars(lit.data(), lit.data() + lit.size(), v);
    if (ec != std::errc() || ptr != lit.data() + lit.size()) return false;
    *out = v;
    return true;
  }
  // 1.0, 1e3 and the like: integral by value. 2^63 itself is out of range.
  double d = n.value;
  if (!std::isfinite(d) || std::trunc(d) != d) return false;
  if (d < -9223372036854775808.0 || d >= 9223372036854775808.0) return false;
  *out = static_cast<int64_t>(d);
  return true;
}

const Json* Json::Find(std::string_view key) const {
  if (!is_object()) return nullptr;
  for (const Member& m : as_object()) {
    if (m.first == key) return &m.second;
  }
  return nullptr;
}

Json* Json::Find(std::string_view key) {
  return const_cast<Json*>(static_cast<const Json*>(this)->Find(key));
}

void Json::Set(std::string_view key, Json value) {
  if (Json* existing = Find(key)) {
    *existing = std::move(value);
    return;
  }
  as_object().emplace_back(std::string(key), std::move(value));
}

bool Json::Erase(std::string_view key) {
  if (!is_object()) return false;
  Object& obj = as_object();
  auto it = std::find_if(obj.begin(), obj.end(), [&](const Member& m) { return m.first == key; });
  if (it == obj.end()) return false;
  obj.erase(it);
  return true;
}

bool operator==(const Json& a, const Json& b) {
  if (a.type() != b.type()) return false;
  switch (a.type()) {
    case Json::Type::kNull:
      return true;
    case Json::Type::kBool:
      return a.as_bool() == b.as_bool();
    case Json::Type::kNumber:
      return a.as_double() == b.as_double();
    case Json::Type::kString:
      return a.as_string() == b.as_string();
    case Json::Type::kArray:
      return a.as_array() == b.as_array();
    case Json::Type::kObject: {
      const Json::Object& oa = a.as_object();
      const Json::Object& ob = b.as_object();
      if (oa.size() != ob.size()) return false;
      // Keys are unique, so equal sizes plus every member of `a` found in `b` suffices.
      for (const Json::Member& m : oa) {
        const Json* other = b.Find(m.first);
        if (other == nullptr || !(m.second == *other)) return false;
      }
      return true;
    }
  }
  return false;
}

// ---------------------------------------------------------------------------
// Parsing

namespace {

std::string ByteLocation(size_t offset) { return "byte " + std::to_string(offset); }

// Appends `key` to a JSON pointer (RFC 6901 escaping of `~` and `/`).
std::string PointerAppend(const std::string& pointer, std::string_view key) {
  std::string out = pointer;
  out.push_back('/');
  for (char c : key) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

// Offset of the first byte that is not part of well-formed UTF-8 (RFC 3629: no
// overlongs, no surrogates, nothing above U+10FFFF), or npos when all is valid.
size_t FirstInvalidUtf8(std::string_view s) {
  size_t i = 0;
  const size_t n = s.size();
  while (i < n) {
    auto b0 = static_cast<unsigned char>(s[i]);
    if (b0 < 0x80) {
      ++i;
      continue;
    }
    size_t len = 0;
    unsigned char lo = 0x80;
    unsigned char hi = 0xBF;
    if (b0 >= 0xC2 && b0 <= 0xDF) {
      len = 2;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
      len = 3;
      if (b0 == 0xE0) lo = 0xA0;
      if (b0 == 0xED) hi = 0x9F;
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
      len = 4;
      if (b0 == 0xF0) lo = 0x90;
      if (b0 == 0xF4) hi = 0x8F;
    } else {
      return i;
    }
    if (i + len > n) return i;
    auto b1 = static_cast<unsigned char>(s[i + 1]);
    if (b1 < lo || b1 > hi) return i;
    for (size_t k = 2; k < len; ++k) {
      auto bk = static_cast<unsigned char>(s[i + k]);
      if (bk < 0x80 || bk > 0xBF) return i;
    }
    i += len;
  }
  return std::string_view::npos;
}

struct NumberToken {
  size_t offset;
  size_t length;
};

bool IsNumberChar(char c) {
  return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E';
}

// Number tokens in document order. Outside strings, JSON uses the characters of
// numbers only in numbers, so skipping strings is all the lexing needed.
std::vector<NumberToken> ScanNumbers(std::string_view text) {
  std::vector<NumberToken> out;
  size_t i = 0;
  const size_t n = text.size();
  while (i < n) {
    char c = text[i];
    if (c == '"') {
      ++i;
      while (i < n && text[i] != '"') i += (text[i] == '\\') ? 2 : 1;
      ++i;
    } else if (c == '-' || (c >= '0' && c <= '9')) {
      size_t start = i;
      while (i < n && IsNumberChar(text[i])) ++i;
      out.push_back({start, i - start});
    } else {
      ++i;
    }
  }
  return out;
}

// RFC 8259 §6 number grammar.
bool IsValidNumberLiteral(std::string_view s) {
  size_t i = 0;
  const size_t n = s.size();
  auto digit = [&](size_t k) { return k < n && s[k] >= '0' && s[k] <= '9'; };
  if (i < n && s[i] == '-') ++i;
  if (!digit(i)) return false;
  if (s[i] == '0') {
    ++i;
  } else {
    while (digit(i)) ++i;
  }
  if (i < n && s[i] == '.') {
    ++i;
    if (!digit(i)) return false;
    while (digit(i)) ++i;
  }
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < n && (s[i] == '+' || s[i] == '-')) ++i;
    if (!digit(i)) return false;
    while (digit(i)) ++i;
  }
  return i == n;
}

bool FitsIn64Bits(std::string_view integer_literal) {
  const char* first = integer_literal.data();
  const char* last = first + integer_literal.size();
  if (integer_literal.front() == '-') {
    int64_t v = 0;
    auto [p, ec] = std::from_chars(first, last, v);
    return ec == std::errc() && p == last;
  }
  uint64_t v = 0;
  auto [p, ec] = std::from_chars(first, last, v);
  return ec == std::errc() && p == last;
}

// For a valid, non-zero number literal: the e in d.ddd x 10^e. Tells overflow
// (large e) from underflow when std::from_chars reports out of range.
int64_t DecimalExponent(std::string_view lit) {
  size_t i = (lit.front() == '-') ? 1 : 0;
  int64_t int_digits = 0;
  int64_t first_nonzero = -1;  // position among all mantissa digits
  int64_t pos = 0;
  bool in_fraction = false;
  for (; i < lit.size() && lit[i] != 'e' && lit[i] != 'E'; ++i) {
    if (lit[i] == '.') {
      in_fraction = true;
      continue;
    }
    if (first_nonzero < 0 && lit[i] != '0') first_nonzero = pos;
    if (!in_fraction) ++int_digits;
    ++pos;
  }
  if (first_nonzero < 0) return 0;  // zero
  int64_t exp = 0;
  if (i < lit.size()) {
    ++i;
    bool negative = false;
    if (lit[i] == '+' || lit[i] == '-') negative = (lit[i++] == '-');
    for (; i < lit.size(); ++i) exp = std::min<int64_t>(exp * 10 + (lit[i] - '0'), 1'000'000'000);
    if (negative) exp = -exp;
  }
  return int_digits - first_nonzero - 1 + exp;
}

const char* DescribeSimdjsonError(simdjson::error_code err) {
  switch (err) {
    case simdjson::EMPTY:
      return "empty document: no JSON value found";
    case simdjson::TAPE_ERROR:
      return "malformed JSON: missing or extra comma, brace, bracket or colon, "
             "or trailing content";
    case simdjson::STRING_ERROR:
      return "malformed string: bad escape sequence or unpaired surrogate";
    case simdjson::UNESCAPED_CHARS:
      return "control character must be escaped inside a string";
    case simdjson::UNCLOSED_STRING:
      return "unterminated string";
    case simdjson::T_ATOM_ERROR:
      return "invalid literal starting with 't' (expected true)";
    case simdjson::F_ATOM_ERROR:
      return "invalid literal starting with 'f' (expected false)";
    case simdjson::N_ATOM_ERROR:
      return "invalid literal starting with 'n' (expected null)";
    case simdjson::NUMBER_ERROR:
      return "invalid number";
    case simdjson::UTF8_ERROR:
      return "invalid UTF-8";
    default:
      return nullptr;
  }
}

class TreeBuilder {
 public:
  TreeBuilder(std::string_view text, const std::vector<NumberToken>* numbers,
              const std::unordered_set<size_t>* from_literal, size_t max_depth)
      : text_(text), numbers_(numbers), from_literal_(from_literal), max_depth_(max_depth) {}

  Result<Json> Build(simdjson::dom::element e) {
    using simdjson::dom::element_type;
    switch (e.type()) {
      case element_type::NULL_VALUE:
        return Json::Null();
      case element_type::BOOL:
        return Json::Bool(e.get_bool().value_unsafe());
      case element_type::INT64:
      case element_type::UINT64:
      case element_type::DOUBLE:
        return BuildNumber(e);
      case element_type::STRING:
        return Json::String(std::string(e.get_string().value_unsafe()));
      case element_type::ARRAY: {
        if (path_.size() + 1 > max_depth_) return DepthError();
        simdjson::dom::array dom_arr = e.get_array().value_unsafe();
        Json::Array arr;
        path_.push_back({{}, 0});
        for (simdjson::dom::element child : dom_arr) {
          Result<Json> v = Build(child);
          if (!v.ok()) return v.error();
          arr.push_back(std::move(v).value());
          ++path_.back().index;
        }
        path_.pop_back();
        return Json::MakeArray(std::move(arr));
      }
      case element_type::OBJECT: {
        if (path_.size() + 1 > max_depth_) return DepthError();
        simdjson::dom::object dom_obj = e.get_object().value_unsafe();
        Json::Object obj;
        obj.reserve(dom_obj.size());
        // Small objects (the common case) check duplicates by a scan; large ones by a set.
        const bool use_set = dom_obj.size() > 16;
        std::unordered_set<std::string_view> seen;
        path_.push_back({{}, kKeyMarker});
        for (simdjson::dom::key_value_pair field : dom_obj) {
          path_.back().key = field.key;
          bool duplicate =
              use_set ? !seen.insert(field.key).second
                      : std::any_of(obj.begin(), obj.end(),
                                    [&](const Json::Member& m) { return m.first == field.key; });
          if (duplicate) {
            return MakeError(ErrorCode::kParse,
                             "duplicate object key \"" + std::string(field.key) + "\"", Pointer());
          }
          Result<Json> v = Build(field.value);
          if (!v.ok()) return v.error();
          obj.emplace_back(std::string(field.key), std::move(v).value());
        }
        path_.pop_back();
        return Json::MakeObject(std::move(obj));
      }
    }
    return MakeError(ErrorCode::kInternal, "unknown simdjson element type", Pointer());
  }

 private:
  static constexpr size_t kKeyMarker = ~size_t{0};
  // One step of the path from the root: an object key, or an array index.
  struct Step {
    std::string_view key;
    size_t index;  // kKeyMarker for object members
  };

  // The JSON pointer (RFC 6901) of the value being built; only made for errors.
  std::string Pointer() const {
    std::string out;
    for (const Step& step : path_) {
      if (step.index == kKeyMarker) {
        out = PointerAppend(out, step.key);
      } else {
        out = PointerAppend(out, std::to_string(step.index));
      }
    }
    return out;
  }

  Result<Json> BuildNumber(simdjson::dom::element e) {
    if (next_number_ >= numbers_->size()) {
      return MakeError(ErrorCode::kInternal, "number literal scan out of step with parser",
                       Pointer());
    }
    size_t index = next_number_++;
    const NumberToken& tok = (*numbers_)[index];
    std::string literal(text_.substr(tok.offset, tok.length));
    double value = 0;
    if (from_literal_->count(index) != 0) {
      auto [p, ec] = std::from_chars(literal.data(), literal.data() + literal.size(), value);
      if (ec != std::errc() || !std::isfinite(value)) {
        return MakeError(ErrorCode::kParse, "number " + literal + " is out of range of double",
                         ByteLocation(tok.offset));
      }
    } else {
      value = e.get_double().value_unsafe();
    }
    // simdjson reads "-0" as the integer 0; JSON's -0 is the double -0.
    if (value == 0 && literal.front() == '-') value = -0.0;
    return Json::NumberLiteral(std::move(literal), value);
  }

  Error DepthError() const {
    std::string pointer = Pointer();
    return MakeError(ErrorCode::kLimit,
                     "nesting deeper than " + std::to_string(max_depth_) + " levels",
                     pointer.empty() ? std::string("/") : pointer);
  }

  std::string_view text_;
  const std::vector<NumberToken>* numbers_;
  const std::unordered_set<size_t>* from_literal_;
  size_t max_depth_;
  size_t next_number_ = 0;
  std::vector<Step> path_;
};

}  // namespace

Result<Json> ParseJson(std::string_view text, const JsonParseLimits& limits) {
  if (text.size() > limits.max_bytes) {
    return MakeError(ErrorCode::kLimit, "document of " + std::to_string(text.size()) +
                                            " bytes exceeds the limit of " +
                                            std::to_string(limits.max_bytes));
  }
  simdjson::dom::parser parser;
  // simdjson counts the document itself as a level; two levels of slack let our own
  // check (which reports a JSON pointer) fire first.
  if (parser.allocate(text.size() + 1, limits.max_depth + 2) != simdjson::SUCCESS) {
    return MakeError(ErrorCode::kLimit, "cannot allocate parser for the document");
  }

  std::vector<NumberToken> numbers;
  std::unordered_set<size_t> from_literal;  // indexes of numbers simdjson cannot hold
  std::string patched;                      // the input with 64-bit-overflowing integers blanked
  simdjson::dom::element root;
  simdjson::error_code err = parser.parse(text.data(), text.size(), true).get(root);

  if (err == simdjson::NUMBER_ERROR) {
    numbers = ScanNumbers(text);
    for (size_t i = 0; i < numbers.size(); ++i) {
      std::string_view lit = text.substr(numbers[i].offset, numbers[i].length);
      if (!IsValidNumberLiteral(lit)) {
        return MakeError(ErrorCode::kParse, "invalid number \"" + std::string(lit) + "\"",
                         ByteLocation(numbers[i].offset));
      }
      double d = 0;
      auto [p, ec] = std::from_chars(lit.data(), lit.data() + lit.size(), d);
      if (ec == std::errc::result_out_of_range && DecimalExponent(lit) > 0) {
        return MakeError(ErrorCode::kParse,
                         "number " + std::string(lit) + " is out of range of double",
                         ByteLocation(numbers[i].offset));
      }
      if (lit.find_first_of(".eE") == std::string_view::npos && !FitsIn64Bits(lit)) {
        if (patched.empty()) patched = std::string(text);
        patched.replace(numbers[i].offset, numbers[i].length,
                        "0" + std::string(numbers[i].length - 1, ' '));
        from_literal.insert(i);
      }
    }
    if (!patched.empty()) err = parser.parse(patched.data(), patched.size(), true).get(root);
  }

  if (err != simdjson::SUCCESS) {
    if (err == simdjson::DEPTH_ERROR) {
      return MakeError(ErrorCode::kLimit,
                       "nesting deeper than " + std::to_string(limits.max_depth) + " levels");
    }
    if (err == simdjson::CAPACITY || err == simdjson::MEMALLOC) {
      return MakeError(ErrorCode::kLimit, simdjson::error_message(err));
    }
    if (err == simdjson::UTF8_ERROR) {
      size_t bad = FirstInvalidUtf8(text);
      return MakeError(ErrorCode::kParse, "invalid UTF-8",
                       bad == std::string_view::npos ? std::string() : ByteLocation(bad));
    }
    const char* reason = DescribeSimdjsonError(err);
    return MakeError(ErrorCode::kParse, reason != nullptr ? reason : simdjson::error_message(err));
  }

  if (numbers.empty()) numbers = ScanNumbers(text);
  TreeBuilder builder(text, &numbers, &from_literal, limits.max_depth);
  return builder.Build(root);
}

}  // namespace tessera::core

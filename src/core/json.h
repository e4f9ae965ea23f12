// Json: a small mutable JSON document tree, plus parsing (simdjson underneath) and
// writing (compact, pretty, and the RFC 8785 canonical form used for hashing and
// deterministic ids). Objects keep their members in input order so a round trip
// preserves what a producer wrote. Value type; not synchronized.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "core/result.h"

namespace tessera::core {

class Json {
 public:
  enum class Type { kNull, kBool, kNumber, kString, kArray, kObject };
  using Array = std::vector<Json>;
  using Member = std::pair<std::string, Json>;
  using Object = std::vector<Member>;  // input order; keys unique

  // A number keeps the literal it was parsed from (so writing it back loses no
  // digits) and its IEEE-754 double value (what RFC 8785 serializes).
  struct Number {
    std::string literal;
    double value = 0;
  };

  Json() = default;  // null
  static Json Null() { return Json(); }
  static Json Bool(bool b);
  static Json Int(int64_t i);
  static Json Double(double d);
  // `literal` must be a valid JSON number; `value` its double value.
  static Json NumberLiteral(std::string literal, double value);
  static Json String(std::string s);
  static Json MakeArray(Array a = {});
  static Json MakeObject(Object o = {});

  Type type() const { return static_cast<Type>(v_.index()); }
  bool is_null() const { return type() == Type::kNull; }
  bool is_bool() const { return type() == Type::kBool; }
  bool is_number() const { return type() == Type::kNumber; }
  bool is_string() const { return type() == Type::kString; }
  bool is_array() const { return type() == Type::kArray; }
  bool is_object() const { return type() == Type::kObject; }

  // Accessors; precondition: the matching is_*() holds.
  bool as_bool() const { return std::get<bool>(v_); }
  const Number& as_number() const { return std::get<Number>(v_); }
  double as_double() const { return as_number().value; }
  const std::string& as_string() const { return std::get<std::string>(v_); }
  std::string& as_string() { return std::get<std::string>(v_); }
  const Array& as_array() const { return std::get<Array>(v_); }
  Array& as_array() { return std::get<Array>(v_); }
  const Object& as_object() const { return std::get<Object>(v_); }
  Object& as_object() { return std::get<Object>(v_); }

  // True when the number is integral and fits in int64; stores it in *out.
  bool GetInt64(int64_t* out) const;

  // Object helpers; Find returns nullptr when absent or when this is not an object.
  const Json* Find(std::string_view key) const;
  Json* Find(std::string_view key);
  // Replaces an existing member in place or appends a new one. Precondition: is_object().
  void Set(std::string_view key, Json value);
  // Removes a member; returns whether it was present.
  bool Erase(std::string_view key);

  // Structural equality: same types, numbers equal by value, objects equal as
  // unordered maps, arrays element-wise.
  friend bool operator==(const Json& a, const Json& b);

 private:
  std::variant<std::monostate, bool, Number, std::string, Array, Object> v_;
};

struct JsonParseLimits {
  size_t max_depth = 128;
  size_t max_bytes = size_t{1} << 32;
};

// Parses one JSON document (RFC 8259, UTF-8 validated). Duplicate object keys are
// rejected. Errors carry a byte offset or a reason in `location`/`message`.
Result<Json> ParseJson(std::string_view text, const JsonParseLimits& limits = {});

// Appends `s` as a JSON string literal with RFC 8259 / RFC 8785 escaping:
// `"` and `\` escaped, \b \f \n \r \t short forms, other controls as \u00xx,
// everything else (including non-ASCII UTF-8) copied as is.
void AppendJsonString(std::string* out, std::string_view s);

// The most bytes a JSON string literal of `size` bytes takes: the quotes, and
// every byte escaped as \u00xx.
constexpr size_t MaxJsonStringSize(size_t size) { return 2 + 6 * size; }

// The same literal written at `out`, which has room for MaxJsonStringSize(s.size())
// bytes; returns the end of what it wrote. For writers that fill a buffer directly.
char* WriteJsonString(char* out, std::string_view s);

// Appends a double in the ECMAScript Number.prototype.toString form (RFC 8785 §3.2.2.3).
// Precondition: finite.
void AppendEs6Number(std::string* out, double d);

enum class JsonStyle { kCompact, kPretty };

// Writes the tree; numbers as their original literal; members in stored order.
std::string WriteJson(const Json& json, JsonStyle style = JsonStyle::kCompact);
void WriteJson(const Json& json, JsonStyle style, std::string* out);

// RFC 8785 (JCS): members sorted by UTF-16 code units, no whitespace, numbers in
// ES6 form, minimal string escaping.
std::string CanonicalJson(const Json& json);
void CanonicalJson(const Json& json, std::string* out);

// Streaming writer for output that does not need a tree (CLI --json, reports).
// Inserts commas and (in pretty style) indentation. Caller keeps calls balanced.
class JsonWriter {
 public:
  explicit JsonWriter(std::string* out, JsonStyle style = JsonStyle::kCompact);
  JsonWriter& BeginObject();
  JsonWriter& EndObject();
  JsonWriter& BeginArray();
  JsonWriter& EndArray();
  JsonWriter& Key(std::string_view key);
  JsonWriter& String(std::string_view s);
  JsonWriter& Int(int64_t i);
  JsonWriter& Double(double d);
  JsonWriter& Bool(bool b);
  JsonWriter& Null();
  JsonWriter& Value(const Json& json);  // a whole subtree

 private:
  void BeforeValue();
  void Newline();
  std::string* out_;
  JsonStyle style_;
  std::vector<bool> first_;  // per open container: no member written yet
  bool after_key_ = false;
};

}  // namespace tessera::core

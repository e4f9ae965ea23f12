#include "formats/rules/yaml_json.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <exception>
#include <utility>

namespace tessera::formats {
namespace {

using core::Json;

// yaml-cpp recurses once per nesting level while parsing (its own guard stops at
// 2000, deep enough to exhaust a sanitizer build's stack). Documents whose
// estimated nesting passes this bound are refused before yaml-cpp sees them.
constexpr size_t kMaxEstimatedDepth = 256;

std::string_view TrimRight(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

// An upper bound of a YAML text's nesting from indentation, compact `- - -`
// sequence entries and flow brackets outside quotes and comments. It reads lines
// only, so it over-counts odd text (brackets in a block scalar), never under-counts
// a real structure.
size_t EstimateDepth(std::string_view text) {
  std::vector<size_t> indents;
  size_t flow = 0;
  size_t deepest = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    size_t indent = 0;
    while (indent < line.size() && line[indent] == ' ') ++indent;
    if (indent == line.size() || line[indent] == '#' || line[indent] == '\r') continue;
    size_t level = 0;
    if (flow == 0) {
      while (!indents.empty() && indents.back() >= indent) indents.pop_back();
      indents.push_back(indent);
      size_t i = indent;
      while (i + 1 < line.size() && line[i] == '-' && (line[i + 1] == ' ' || line[i + 1] == '\t')) {
        ++level;
        i += 2;
        while (i < line.size() && line[i] == ' ') ++i;
      }
    }
    char quote = 0;
    for (size_t i = indent; i < line.size(); ++i) {
      char c = line[i];
      char before = i > indent ? line[i - 1] : ' ';
      if (quote != 0) {
        if (c == quote) quote = 0;
        continue;
      }
      bool boundary = before == ' ' || before == '[' || before == '{' || before == ',' ||
                      before == ':' || i == indent;
      if ((c == '"' || c == '\'') && boundary) {
        quote = c;
      } else if (c == '#' && (before == ' ' || before == '\t')) {
        break;
      } else if (c == '[' || c == '{') {
        ++flow;
        deepest = std::max(deepest, indents.size() + level + flow);
      } else if ((c == ']' || c == '}') && flow > 0) {
        --flow;
      }
    }
    deepest = std::max(deepest, indents.size() + level + flow);
  }
  return deepest;
}

std::string Where(const YAML::Mark& mark) {
  if (mark.is_null() || mark.line < 0) return {};
  return std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1);
}

bool IsJsonNumber(std::string_view s) {
  size_t i = 0;
  if (i < s.size() && s[i] == '-') ++i;
  if (i >= s.size()) return false;
  if (s[i] == '0') {
    ++i;
  } else if (s[i] >= '1' && s[i] <= '9') {
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
  } else {
    return false;
  }
  if (i < s.size() && s[i] == '.') {
    ++i;
    size_t digits = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    if (i == digits) return false;
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    size_t digits = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    if (i == digits) return false;
  }
  return i == s.size();
}

bool IsNullWord(std::string_view s) {
  return s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL";
}
bool IsTrueWord(std::string_view s) { return s == "true" || s == "True" || s == "TRUE"; }
bool IsFalseWord(std::string_view s) { return s == "false" || s == "False" || s == "FALSE"; }

Json PlainScalar(const std::string& text) {
  if (IsNullWord(text)) return Json::Null();
  if (IsTrueWord(text)) return Json::Bool(true);
  if (IsFalseWord(text)) return Json::Bool(false);
  if (IsJsonNumber(text)) {
    double value = std::strtod(text.c_str(), nullptr);
    if (std::isfinite(value)) return Json::NumberLiteral(text, value);
  }
  return Json::String(text);
}

class Converter {
 public:
  explicit Converter(const YamlLimits& limits) : limits_(limits) {}

  core::Result<Json> Convert(const YAML::Node& node, size_t depth) {
    if (++nodes_ > limits_.max_nodes) {
      return core::MakeError(core::ErrorCode::kLimit,
                             "more than " + std::to_string(limits_.max_nodes) +
                                 " YAML nodes (aliases expanded)",
                             Where(node.Mark()));
    }
    switch (node.Type()) {
      case YAML::NodeType::Undefined:
      case YAML::NodeType::Null: return Json::Null();
      case YAML::NodeType::Scalar: {
        const std::string& tag = node.Tag();
        if (tag == "?") return PlainScalar(node.Scalar());
        return Json::String(node.Scalar());
      }
      case YAML::NodeType::Sequence: {
        if (depth >= limits_.max_depth) return TooDeep(node);
        Json out = Json::MakeArray();
        for (const YAML::Node& item : node) {
          auto value = Convert(item, depth + 1);
          if (!value.ok()) return value.error();
          out.as_array().push_back(std::move(*value));
        }
        return out;
      }
      case YAML::NodeType::Map: {
        if (depth >= limits_.max_depth) return TooDeep(node);
        Json out = Json::MakeObject();
        for (const auto& member : node) {
          const YAML::Node& key = member.first;
          if (!key.IsScalar()) {
            return core::MakeError(core::ErrorCode::kParse, "a mapping key must be a scalar",
                                   Where(key.Mark()));
          }
          const std::string& name = key.Scalar();
          if (out.Find(name) != nullptr) {
            return core::MakeError(core::ErrorCode::kParse, "duplicate key '" + name + "'",
                                   Where(key.Mark()));
          }
          auto value = Convert(member.second, depth + 1);
          if (!value.ok()) return value.error();
          out.as_object().emplace_back(name, std::move(*value));
        }
        return out;
      }
    }
    return Json::Null();
  }

 private:
  core::Error TooDeep(const YAML::Node& node) const {
    return core::MakeError(core::ErrorCode::kLimit,
                           "YAML nested deeper than " + std::to_string(limits_.max_depth) +
                               " levels",
                           Where(node.Mark()));
  }

  const YamlLimits& limits_;
  size_t nodes_ = 0;
};

bool IsPlainSafe(std::string_view s) {
  if (s.empty() || s.size() > 200) return false;
  if (s.front() == ' ' || s.back() == ' ') return false;
  static constexpr std::string_view kIndicators = "-?:,[]{}#&*!|>'\"%@`";
  if (kIndicators.find(s.front()) != std::string_view::npos) return false;
  for (unsigned char c : s) {
    if (c < 0x20 || c == 0x7f) return false;
  }
  if (s.find(": ") != std::string_view::npos || s.find(" #") != std::string_view::npos ||
      s.back() == ':') {
    return false;
  }
  std::string text(s);
  Json typed = PlainScalar(text);
  return typed.is_string();
}

void AppendQuoted(std::string* out, std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  out->push_back('"');
  for (unsigned char c : s) {
    switch (c) {
      case '"': out->append("\\\""); break;
      case '\\': out->append("\\\\"); break;
      case '\n': out->append("\\n"); break;
      case '\t': out->append("\\t"); break;
      case '\r': out->append("\\r"); break;
      default:
        if (c < 0x20 || c == 0x7f) {
          out->append("\\x");
          out->push_back(kHex[c >> 4]);
          out->push_back(kHex[c & 15]);
        } else {
          out->push_back(static_cast<char>(c));
        }
    }
  }
  out->push_back('"');
}

void AppendScalar(std::string* out, const Json& value) {
  switch (value.type()) {
    case Json::Type::kNull: out->append("null"); break;
    case Json::Type::kBool: out->append(value.as_bool() ? "true" : "false"); break;
    case Json::Type::kNumber: out->append(value.as_number().literal); break;
    case Json::Type::kString:
      if (IsPlainSafe(value.as_string())) {
        out->append(value.as_string());
      } else {
        AppendQuoted(out, value.as_string());
      }
      break;
    case Json::Type::kArray: out->append("[]"); break;
    case Json::Type::kObject: out->append("{}"); break;
  }
}

bool IsEmptyContainer(const Json& v) {
  return (v.is_array() && v.as_array().empty()) || (v.is_object() && v.as_object().empty());
}

void AppendNode(std::string* out, const Json& value, size_t indent);

// Writes `key: value` members at `indent`; the first one without indentation when
// `first_inline` (it follows a "- " already written).
void AppendMembers(std::string* out, const Json& object, size_t indent, bool first_inline) {
  bool first = true;
  for (const auto& [key, value] : object.as_object()) {
    if (!(first && first_inline)) out->append(indent, ' ');
    first = false;
    AppendScalar(out, Json::String(key));
    out->push_back(':');
    if ((value.is_object() || value.is_array()) && !IsEmptyContainer(value)) {
      out->push_back('\n');
      AppendNode(out, value, value.is_array() ? indent : indent + 2);
    } else {
      out->push_back(' ');
      AppendScalar(out, value);
      out->push_back('\n');
    }
  }
}

void AppendNode(std::string* out, const Json& value, size_t indent) {
  if (value.is_object() && !value.as_object().empty()) {
    AppendMembers(out, value, indent, false);
    return;
  }
  if (value.is_array() && !value.as_array().empty()) {
    for (const Json& item : value.as_array()) {
      out->append(indent, ' ');
      out->append("- ");
      if (item.is_object() && !item.as_object().empty()) {
        AppendMembers(out, item, indent + 2, true);
      } else if (item.is_array() && !item.as_array().empty()) {
        out->push_back('\n');
        AppendNode(out, item, indent + 2);
      } else {
        AppendScalar(out, item);
        out->push_back('\n');
      }
    }
    return;
  }
  out->append(indent, ' ');
  AppendScalar(out, value);
  out->push_back('\n');
}

}  // namespace

core::Result<Json> ParseYamlDocument(std::string_view text, const YamlLimits& limits) {
  if (text.size() > limits.max_bytes) {
    return core::MakeError(core::ErrorCode::kLimit,
                           "YAML document larger than " + std::to_string(limits.max_bytes) +
                               " bytes");
  }
  if (text.find('\0') != std::string_view::npos) {
    return core::MakeError(core::ErrorCode::kParse, "NUL byte in a YAML document");
  }
  size_t estimated = EstimateDepth(text);
  if (estimated > std::max(kMaxEstimatedDepth, limits.max_depth)) {
    return core::MakeError(core::ErrorCode::kLimit,
                           "YAML nested deeper than " + std::to_string(kMaxEstimatedDepth) +
                               " levels");
  }
  try {
    YAML::Node root = YAML::Load(std::string(text));
    Converter converter(limits);
    return converter.Convert(root, 0);
  } catch (const YAML::Exception& e) {
    return core::MakeError(core::ErrorCode::kParse, e.msg, Where(e.mark));
  } catch (const std::exception& e) {
    return core::MakeError(core::ErrorCode::kParse, e.what());
  }
}

std::vector<YamlDocumentText> SplitYamlDocuments(std::string_view stream) {
  std::vector<YamlDocumentText> docs;
  size_t start = 0;       // byte where the current document's text starts
  uint64_t start_line = 1;
  bool has_content = false;
  uint64_t line_no = 1;
  size_t pos = 0;
  auto flush = [&](size_t end) {
    if (has_content) docs.push_back({stream.substr(start, end - start), start_line});
    has_content = false;
  };
  while (pos < stream.size()) {
    size_t end = stream.find('\n', pos);
    size_t next = end == std::string_view::npos ? stream.size() : end + 1;
    size_t length = (end == std::string_view::npos ? stream.size() : end) - pos;
    std::string_view line = TrimRight(stream.substr(pos, length));
    bool marker = false;
    if (line.size() >= 3 && (line.substr(0, 3) == "---" || line.substr(0, 3) == "...") &&
        (line.size() == 3 || line[3] == ' ' || line[3] == '\t')) {
      marker = true;
    }
    if (marker) {
      flush(pos);
      bool directive_end = line[0] == '-';
      std::string_view rest = line.substr(3);
      while (!rest.empty() && (rest.front() == ' ' || rest.front() == '\t')) rest.remove_prefix(1);
      if (directive_end && !rest.empty() && rest.front() != '#') {
        // "--- value": the document starts on the marker line itself.
        start = pos;
        start_line = line_no;
        has_content = true;
      } else {
        start = next;
        start_line = line_no + 1;
      }
    } else {
      size_t i = 0;
      while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
      if (i < line.size() && line[i] != '#' && !(i == 0 && line[0] == '%')) {
        has_content = true;
      }
    }
    pos = next;
    ++line_no;
  }
  flush(stream.size());
  return docs;
}

std::string WriteYaml(const Json& json) {
  std::string out;
  if ((json.is_object() || json.is_array()) && !IsEmptyContainer(json)) {
    AppendNode(&out, json, 0);
  } else {
    AppendScalar(&out, json);
    out.push_back('\n');
  }
  return out;
}

}  // namespace tessera::formats

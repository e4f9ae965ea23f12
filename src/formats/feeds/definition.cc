#include "formats/feeds/definition.h"

#include <toml++/toml.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "formats/feeds/time_format.h"

namespace tessera::formats::feeds {
namespace {

using core::ErrorCode;
using core::MakeError;

// The largest definition file `definition=PATH` reads.
constexpr size_t kMaxDefinitionBytes = size_t{1} << 20;

struct TypeName {
  std::string_view name;
  ColumnType type;
};

constexpr TypeName kTypeNames[] = {
    {"field", ColumnType::kField},
    {"ignore", ColumnType::kIgnore},
    {"-", ColumnType::kIgnore},
    {"extract", ColumnType::kExtract},
    {"first_seen", ColumnType::kFirstSeen},
    {"time", ColumnType::kFirstSeen},
    {"last_seen", ColumnType::kLastSeen},
    {"valid_until", ColumnType::kValidUntil},
    {"label", ColumnType::kLabel},
    {"labels", ColumnType::kLabel},
    {"indicator_type", ColumnType::kIndicatorType},
    {"malware", ColumnType::kMalware},
    {"description", ColumnType::kDescription},
    {"confidence", ColumnType::kConfidence},
    {"reference", ColumnType::kReference},
    {"external_id", ColumnType::kExternalId},
    {"tlp", ColumnType::kTlp},
    {"count", ColumnType::kCount},
};

std::string Quoted(std::string_view s) {
  std::string out = "'";
  out.append(s);
  out += '\'';
  return out;
}

core::Error DefinitionError(std::string_view origin, std::string message,
                            const toml::node* node = nullptr) {
  std::string location(origin);
  if (node != nullptr && node->source().begin.line > 0) {
    location += ':' + std::to_string(node->source().begin.line);
  }
  return MakeError(ErrorCode::kInvalidArgument, std::move(message), std::move(location));
}

// A one-character setting: "," "\t" "tab" "space" "|"; "" means none (0).
core::Result<char> ParseCharSetting(std::string_view key, std::string_view value) {
  if (value.empty()) return '\0';
  if (value == "tab" || value == "\\t") return '\t';
  if (value == "space") return ' ';
  if (value == "comma") return ',';
  if (value == "semicolon") return ';';
  if (value == "pipe") return '|';
  if (value.size() == 1 && value[0] != '\n' && value[0] != '\r') return value[0];
  return MakeError(ErrorCode::kInvalidArgument,
                   std::string(key) +
                       " must be one character (or tab, space, comma, semicolon, "
                       "pipe), not " +
                       Quoted(value));
}

core::Result<HeaderMode> ParseHeaderMode(std::string_view value) {
  if (value == "yes" || value == "true") return HeaderMode::kYes;
  if (value == "no" || value == "false") return HeaderMode::kNo;
  if (value == "auto") return HeaderMode::kAuto;
  return MakeError(ErrorCode::kInvalidArgument,
                   "header must be yes, no or auto, not " + Quoted(value));
}

core::Result<bool> ParseYesNo(std::string_view key, std::string_view value) {
  if (value == "yes" || value == "true" || value == "1") return true;
  if (value == "no" || value == "false" || value == "0") return false;
  return MakeError(ErrorCode::kInvalidArgument,
                   std::string(key) + " must be yes or no, not " + Quoted(value));
}

core::Result<stix::TlpLevel> ParseTlp(std::string_view value) {
  std::string tag(value);
  if (tag.size() < 4 || (tag.compare(0, 4, "tlp:") != 0 && tag.compare(0, 4, "TLP:") != 0)) {
    tag = "tlp:" + tag;
  }
  auto level = stix::TlpLevelFromTag(tag);
  if (!level) {
    return MakeError(
        ErrorCode::kInvalidArgument,
        "tlp must be clear, white, green, amber, amber+strict or red, not " + Quoted(value));
  }
  return *level;
}

std::vector<std::string> SplitList(std::string_view text, char separator) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find(separator, start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view item = text.substr(start, end - start);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    out.emplace_back(item);
    start = end + 1;
  }
  return out;
}

// Template "{a}://{b}{3}" into pieces.
core::Result<std::vector<DerivedSpec::Piece>> ParseTemplate(std::string_view text) {
  std::vector<DerivedSpec::Piece> pieces;
  size_t i = 0;
  while (i < text.size()) {
    size_t open = text.find('{', i);
    if (open == std::string_view::npos) {
      pieces.push_back({false, std::string(text.substr(i))});
      break;
    }
    if (open > i) pieces.push_back({false, std::string(text.substr(i, open - i))});
    size_t close = text.find('}', open);
    if (close == std::string_view::npos || close == open + 1) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "template " + Quoted(text) + " has an unclosed or empty '{'");
    }
    pieces.push_back({true, std::string(text.substr(open + 1, close - open - 1))});
    i = close + 1;
  }
  return pieces;
}

// ---- TOML helpers ----

class TomlReader {
 public:
  TomlReader(const toml::table& table, std::string_view origin, std::string_view context)
      : table_(table), origin_(origin), context_(context) {}

  // Fails on keys not in `known`.
  core::Status CheckKeys(std::initializer_list<std::string_view> known) const {
    for (const auto& [key, node] : table_) {
      if (std::find(known.begin(), known.end(), key.str()) != known.end()) continue;
      std::string names;
      for (std::string_view k : known) names += (names.empty() ? "" : ", ") + std::string(k);
      return DefinitionError(
          origin_, "unknown key " + Quoted(key.str()) + Where() + " (known: " + names + ")", &node);
    }
    return {};
  }

  core::Result<std::optional<std::string>> String(std::string_view key) const {
    const toml::node* node = table_.get(key);
    if (node == nullptr) return std::optional<std::string>();
    if (const auto* s = node->as_string()) return std::optional<std::string>(s->get());
    return DefinitionError(origin_, Quoted(key) + Where() + " must be a string", node);
  }

  core::Result<std::optional<bool>> Bool(std::string_view key) const {
    const toml::node* node = table_.get(key);
    if (node == nullptr) return std::optional<bool>();
    if (const auto* b = node->as_boolean()) return std::optional<bool>(b->get());
    return DefinitionError(origin_, Quoted(key) + Where() + " must be true or false", node);
  }

  core::Result<std::optional<int64_t>> Integer(std::string_view key) const {
    const toml::node* node = table_.get(key);
    if (node == nullptr) return std::optional<int64_t>();
    if (const auto* i = node->as_integer()) return std::optional<int64_t>(i->get());
    return DefinitionError(origin_, Quoted(key) + Where() + " must be an integer", node);
  }

  // A string or an array of strings.
  core::Result<std::optional<std::vector<std::string>>> Strings(std::string_view key) const {
    const toml::node* node = table_.get(key);
    if (node == nullptr) return std::optional<std::vector<std::string>>();
    std::vector<std::string> out;
    if (const auto* s = node->as_string()) {
      out.push_back(s->get());
      return std::optional<std::vector<std::string>>(std::move(out));
    }
    const auto* array = node->as_array();
    if (array == nullptr) {
      return DefinitionError(origin_, Quoted(key) + Where() + " must be a list of strings", node);
    }
    for (const toml::node& item : *array) {
      const auto* s = item.as_string();
      if (s == nullptr) {
        return DefinitionError(origin_, Quoted(key) + Where() + " must be a list of strings",
                               &item);
      }
      out.push_back(s->get());
    }
    return std::optional<std::vector<std::string>>(std::move(out));
  }

  const toml::node* Node(std::string_view key) const { return table_.get(key); }
  std::string_view origin() const { return origin_; }
  std::string Where() const { return context_.empty() ? "" : " in " + std::string(context_); }

 private:
  const toml::table& table_;
  std::string_view origin_;
  std::string context_;
};

#define TESSERA_ASSIGN_OR_RETURN(lhs, expr)            \
  auto lhs##_result = (expr);                          \
  if (!lhs##_result.ok()) return lhs##_result.error(); \
  auto lhs = std::move(*lhs##_result)

core::Result<ColumnSpec> ParseColumnTable(const toml::table& table, std::string_view origin,
                                          size_t index) {
  TomlReader r(table, origin, "column " + std::to_string(index + 1));
  TESSERA_RETURN_IF_ERROR(r.CheckKeys({"name", "aliases", "type", "indicator", "format", "split",
                                       "empty", "keep_invalid", "kind_column", "kinds"}));
  ColumnSpec column;
  TESSERA_ASSIGN_OR_RETURN(name, r.String("name"));
  if (name) column.name = *name;
  TESSERA_ASSIGN_OR_RETURN(aliases, r.Strings("aliases"));
  if (aliases) column.aliases = *aliases;
  TESSERA_ASSIGN_OR_RETURN(type, r.String("type"));
  if (type) {
    auto parsed = ParseColumnType(*type);
    if (!parsed.ok()) {
      return DefinitionError(origin, parsed.error().message + r.Where(), r.Node("type"));
    }
    column.type = parsed->first;
    column.kind = parsed->second;
  }
  TESSERA_ASSIGN_OR_RETURN(indicator, r.Bool("indicator"));
  if (indicator) column.indicator = *indicator;
  TESSERA_ASSIGN_OR_RETURN(format, r.String("format"));
  if (format) column.time_format = *format;
  TESSERA_ASSIGN_OR_RETURN(split, r.String("split"));
  if (split) {
    auto c = ParseCharSetting("split", *split);
    if (!c.ok()) return DefinitionError(origin, c.error().message + r.Where(), r.Node("split"));
    column.split = *c;
  }
  TESSERA_ASSIGN_OR_RETURN(empty, r.Strings("empty"));
  if (empty) column.empty_values = *empty;
  TESSERA_ASSIGN_OR_RETURN(keep, r.Bool("keep_invalid"));
  if (keep) column.keep_invalid = *keep;
  TESSERA_ASSIGN_OR_RETURN(kind_column, r.String("kind_column"));
  if (kind_column) column.kind_column = *kind_column;
  if (const toml::node* kinds = r.Node("kinds")) {
    const auto* t = kinds->as_table();
    if (t == nullptr) {
      return DefinitionError(origin, "'kinds'" + r.Where() + " must be a table", kinds);
    }
    for (const auto& [key, value] : *t) {
      const auto* s = value.as_string();
      if (s == nullptr) {
        return DefinitionError(origin, "'kinds'" + r.Where() + " values must be type names",
                               &value);
      }
      auto parsed = ParseColumnType(s->get());
      if (!parsed.ok() || parsed->first != ColumnType::kObservable) {
        return DefinitionError(
            origin, "'kinds'" + r.Where() + ": " + Quoted(s->get()) + " is not an observable kind",
            &value);
      }
      column.kind_map.emplace_back(std::string(key.str()), s->get());
    }
  }
  return column;
}

core::Result<DerivedSpec> ParseDerivedTable(const toml::table& table, std::string_view origin,
                                            size_t index) {
  TomlReader r(table, origin, "derived " + std::to_string(index + 1));
  TESSERA_RETURN_IF_ERROR(r.CheckKeys({"name", "type", "template", "indicator", "keep_invalid"}));
  DerivedSpec derived;
  TESSERA_ASSIGN_OR_RETURN(name, r.String("name"));
  TESSERA_ASSIGN_OR_RETURN(type, r.String("type"));
  TESSERA_ASSIGN_OR_RETURN(text, r.String("template"));
  if (!type || !text) {
    return DefinitionError(origin,
                           "derived " + std::to_string(index + 1) + " needs a type and a template");
  }
  auto parsed = ParseColumnType(*type);
  if (!parsed.ok() || parsed->first != ColumnType::kObservable) {
    return DefinitionError(origin, "derived type " + Quoted(*type) + " is not an observable kind",
                           r.Node("type"));
  }
  derived.kind = parsed->second;
  derived.name = name ? *name : *type;
  auto pieces = ParseTemplate(*text);
  if (!pieces.ok()) return DefinitionError(origin, pieces.error().message, r.Node("template"));
  derived.pieces = std::move(*pieces);
  TESSERA_ASSIGN_OR_RETURN(indicator, r.Bool("indicator"));
  if (indicator) derived.indicator = *indicator;
  TESSERA_ASSIGN_OR_RETURN(keep, r.Bool("keep_invalid"));
  if (keep) derived.keep_invalid = *keep;
  return derived;
}

core::Result<FeedDefinition> ParseTable(const toml::table& root, std::string_view origin) {
  TomlReader r(root, origin, "");
  TESSERA_RETURN_IF_ERROR(
      r.CheckKeys({"name",           "description", "source_name",  "layout",
                   "delimiter",      "quote",       "trim",         "comments",
                   "data_prefixes",  "header",      "bind",         "indicator",
                   "strict_columns", "assume_http", "labels",       "indicator_types",
                   "time_format",    "tlp",         "kind",         "columns",
                   "positional",     "derived",     "banner_times", "detect"}));
  FeedDefinition def;
  TESSERA_ASSIGN_OR_RETURN(name, r.String("name"));
  if (!name || name->empty()) return DefinitionError(origin, "a definition needs a 'name'");
  def.name = *name;
  TESSERA_ASSIGN_OR_RETURN(description, r.String("description"));
  if (description) def.description = *description;
  TESSERA_ASSIGN_OR_RETURN(source_name, r.String("source_name"));
  def.source_name = source_name ? *source_name : def.name;
  TESSERA_ASSIGN_OR_RETURN(layout, r.String("layout"));
  if (layout) {
    if (*layout == "delimited") {
      def.layout = Layout::kDelimited;
    } else if (*layout == "whitespace") {
      def.layout = Layout::kWhitespace;
    } else if (*layout == "html-table") {
      def.layout = Layout::kHtmlTable;
    } else {
      return DefinitionError(origin, "layout must be delimited, whitespace or html-table",
                             r.Node("layout"));
    }
  }
  TESSERA_ASSIGN_OR_RETURN(delimiter, r.String("delimiter"));
  if (delimiter && *delimiter != "auto") {
    def.sniff_delimiter = false;
    if (*delimiter == "none") {
      def.delimiter = 0;
    } else if (*delimiter == "whitespace") {
      def.layout = Layout::kWhitespace;
    } else {
      auto c = ParseCharSetting("delimiter", *delimiter);
      if (!c.ok()) return DefinitionError(origin, c.error().message, r.Node("delimiter"));
      def.delimiter = *c;
    }
  }
  TESSERA_ASSIGN_OR_RETURN(quote, r.String("quote"));
  if (quote) {
    auto c = ParseCharSetting("quote", *quote);
    if (!c.ok()) return DefinitionError(origin, c.error().message, r.Node("quote"));
    def.quote = *c;
  }
  TESSERA_ASSIGN_OR_RETURN(trim, r.Bool("trim"));
  if (trim) def.trim = *trim;
  TESSERA_ASSIGN_OR_RETURN(comments, r.Strings("comments"));
  if (comments) def.comments = *comments;
  TESSERA_ASSIGN_OR_RETURN(data_prefixes, r.Strings("data_prefixes"));
  if (data_prefixes) def.data_prefixes = *data_prefixes;
  TESSERA_ASSIGN_OR_RETURN(header, r.String("header"));
  if (header) {
    auto mode = ParseHeaderMode(*header);
    if (!mode.ok()) return DefinitionError(origin, mode.error().message, r.Node("header"));
    def.header = *mode;
  }
  TESSERA_ASSIGN_OR_RETURN(bind, r.String("bind"));
  if (bind) {
    if (*bind != "name" && *bind != "position") {
      return DefinitionError(origin, "bind must be name or position", r.Node("bind"));
    }
    def.bind_by_name = *bind == "name";
  }
  TESSERA_ASSIGN_OR_RETURN(indicator, r.Bool("indicator"));
  if (indicator) def.indicator = *indicator;
  TESSERA_ASSIGN_OR_RETURN(strict, r.Bool("strict_columns"));
  if (strict) def.strict_columns = *strict;
  TESSERA_ASSIGN_OR_RETURN(assume_http, r.Bool("assume_http"));
  if (assume_http) def.assume_http = *assume_http;
  TESSERA_ASSIGN_OR_RETURN(labels, r.Strings("labels"));
  if (labels) def.labels = *labels;
  TESSERA_ASSIGN_OR_RETURN(indicator_types, r.Strings("indicator_types"));
  if (indicator_types) def.indicator_types = *indicator_types;
  TESSERA_ASSIGN_OR_RETURN(time_format, r.String("time_format"));
  if (time_format) def.time_format = *time_format;
  TESSERA_ASSIGN_OR_RETURN(tlp, r.String("tlp"));
  if (tlp) {
    auto level = ParseTlp(*tlp);
    if (!level.ok()) return DefinitionError(origin, level.error().message, r.Node("tlp"));
    def.tlp = *level;
  }
  TESSERA_ASSIGN_OR_RETURN(kind, r.String("kind"));
  if (kind) {
    auto k = normalize::KindFromName(*kind);
    if (!k) return DefinitionError(origin, "kind " + Quoted(*kind) + " is unknown", r.Node("kind"));
    def.default_kind = *k;
  }
  if (const toml::node* columns = r.Node("columns")) {
    const auto* array = columns->as_array();
    if (array == nullptr) {
      return DefinitionError(origin, "'columns' must be a list", columns);
    }
    for (size_t i = 0; i < array->size(); ++i) {
      const toml::node& item = *array->get(i);
      if (const auto* s = item.as_string()) {
        auto list = ParseColumnList(s->get());
        if (!list.ok()) return DefinitionError(origin, list.error().message, &item);
        for (ColumnSpec& c : *list) def.columns.push_back(std::move(c));
      } else if (const auto* t = item.as_table()) {
        auto column = ParseColumnTable(*t, origin, i);
        if (!column.ok()) return column.error();
        def.columns.push_back(std::move(*column));
      } else {
        return DefinitionError(origin, "each column must be a table or a string", &item);
      }
    }
  }
  TESSERA_ASSIGN_OR_RETURN(positional, r.Strings("positional"));
  if (positional) def.positional = *positional;
  if (const toml::node* derived = r.Node("derived")) {
    const auto* array = derived->as_array();
    if (array == nullptr) return DefinitionError(origin, "'derived' must be a list", derived);
    for (size_t i = 0; i < array->size(); ++i) {
      const auto* t = array->get(i)->as_table();
      if (t == nullptr) return DefinitionError(origin, "each derived entry must be a table");
      auto d = ParseDerivedTable(*t, origin, i);
      if (!d.ok()) return d.error();
      def.derived.push_back(std::move(*d));
    }
  }
  if (const toml::node* banners = r.Node("banner_times")) {
    const auto* array = banners->as_array();
    if (array == nullptr) {
      return DefinitionError(origin, "'banner_times' must be a list", banners);
    }
    for (size_t i = 0; i < array->size(); ++i) {
      const auto* t = array->get(i)->as_table();
      if (t == nullptr) return DefinitionError(origin, "each banner_times entry must be a table");
      TomlReader b(*t, origin, "banner_times");
      TESSERA_RETURN_IF_ERROR(b.CheckKeys({"prefix", "format"}));
      TESSERA_ASSIGN_OR_RETURN(prefix, b.String("prefix"));
      TESSERA_ASSIGN_OR_RETURN(format, b.String("format"));
      if (!format) return DefinitionError(origin, "banner_times entries need a format");
      def.banner_times.push_back({prefix ? *prefix : std::string(), *format});
    }
  }
  if (const toml::node* detect = r.Node("detect")) {
    const auto* t = detect->as_table();
    if (t == nullptr) return DefinitionError(origin, "'detect' must be a table", detect);
    TomlReader d(*t, origin, "detect");
    TESSERA_RETURN_IF_ERROR(d.CheckKeys({"banners", "header", "score"}));
    TESSERA_ASSIGN_OR_RETURN(banners, d.Strings("banners"));
    if (banners) def.detect_banners = *banners;
    TESSERA_ASSIGN_OR_RETURN(header_names, d.Strings("header"));
    if (header_names) def.detect_header = *header_names;
    TESSERA_ASSIGN_OR_RETURN(score, d.Integer("score"));
    if (score) {
      if (*score < 1 || *score > 100) {
        return DefinitionError(origin, "detect score must be 1-100", d.Node("score"));
      }
      def.detect_score = static_cast<int>(*score);
    }
  }
  TESSERA_RETURN_IF_ERROR(CheckDefinition(def));
  return def;
}

#undef TESSERA_ASSIGN_OR_RETURN

std::string ReadFileLimited(const std::string& path, bool* ok, bool* too_large) {
  *ok = false;
  *too_large = false;
  std::ifstream in(path, std::ios::binary);
  if (!in) return {};
  std::string data;
  data.resize(kMaxDefinitionBytes + 1);
  in.read(data.data(), static_cast<std::streamsize>(data.size()));
  data.resize(static_cast<size_t>(in.gcount()));
  if (data.size() > kMaxDefinitionBytes) {
    *too_large = true;
    return {};
  }
  *ok = true;
  return data;
}

}  // namespace

core::Result<std::pair<ColumnType, KindSpec>> ParseColumnType(std::string_view name) {
  for (const TypeName& t : kTypeNames) {
    if (t.name == name) return std::make_pair(t.type, KindSpec{});
  }
  KindSpec kind;
  if (name == "ip") {
    kind.mode = KindSpec::Mode::kIp;
  } else if (name == "ip-or-cidr") {
    kind.mode = KindSpec::Mode::kIpOrNetwork;
  } else if (name == "cidr") {
    kind.mode = KindSpec::Mode::kNetwork;
  } else if (name == "auto" || name == "observable") {
    kind.mode = KindSpec::Mode::kAuto;
  } else if (name == "x509-md5" || name == "x509-sha1" || name == "x509-sha256") {
    kind.mode = KindSpec::Mode::kCertificate;
    kind.kind = name == "x509-md5"    ? normalize::Kind::kMd5
                : name == "x509-sha1" ? normalize::Kind::kSha1
                                      : normalize::Kind::kSha256;
  } else if (auto k = normalize::KindFromName(name)) {
    kind.mode = KindSpec::Mode::kFixed;
    kind.kind = *k;
  } else {
    return MakeError(ErrorCode::kInvalidArgument,
                     "unknown column type " + Quoted(name) +
                         " (types: field, ignore, extract, first_seen, last_seen, valid_until, "
                         "label, indicator_type, malware, description, confidence, reference, "
                         "external_id, tlp, count, or an observable kind: ip, ip-or-cidr, cidr, "
                         "auto, x509-sha1, x509-sha256, x509-md5, ipv4, ipv6, ipv4-cidr, "
                         "ipv6-cidr, domain, url, email, md5, sha1, sha256, sha512, ssdeep, tlsh, "
                         "asn, cve, mac, filename, btc, eth, xmr, iban, phone, social)");
  }
  return std::make_pair(ColumnType::kObservable, kind);
}

core::Result<std::vector<ColumnSpec>> ParseColumnList(std::string_view text) {
  std::vector<ColumnSpec> out;
  for (const std::string& entry : SplitList(text, ',')) {
    ColumnSpec column;
    size_t colon = entry.find(':');
    if (entry.empty()) {
      out.push_back(std::move(column));
      continue;
    }
    if (colon == std::string::npos) {
      // A bare word: a type when it names one (the column is named after it),
      // else the name of a column kept as a field.
      auto type = ParseColumnType(entry);
      column.name = entry;
      if (type.ok()) {
        column.type = type->first;
        column.kind = type->second;
      }
    } else {
      column.name = entry.substr(0, colon);
      auto type = ParseColumnType(entry.substr(colon + 1));
      if (!type.ok()) {
        return MakeError(ErrorCode::kInvalidArgument,
                         "columns: " + Quoted(entry) + ": " + type.error().message);
      }
      column.type = type->first;
      column.kind = type->second;
    }
    out.push_back(std::move(column));
  }
  return out;
}

core::Result<FeedDefinition> ParseDefinition(std::string_view toml_text, std::string_view origin) {
  try {
    toml::table root = toml::parse(toml_text, origin);
    return ParseTable(root, origin);
  } catch (const toml::parse_error& e) {
    std::string location(origin);
    if (e.source().begin.line > 0) {
      location += ':' + std::to_string(e.source().begin.line) + ':' +
                  std::to_string(e.source().begin.column);
    }
    return MakeError(ErrorCode::kParse, std::string(e.description()), location);
  } catch (const std::exception& e) {
    return MakeError(ErrorCode::kParse, e.what(), std::string(origin));
  }
}

const std::vector<std::pair<std::string, std::string>>& DefinitionOptions() {
  static const std::vector<std::pair<std::string, std::string>> kOptions = {
      {"indicator",
       "yes: each row's observable becomes an indicator (blocklists); no: rows are "
       "observations (observed-data)"},
      {"indicators", "the same as indicator (the name the lines reader uses)"},
      {"labels", "labels added to every indicator or observed-data (comma-separated)"},
      {"indicator_types", "indicator_types of every indicator (comma-separated)"},
      {"tlp", "TLP marking for every object (clear, green, amber, amber+strict, red)"},
      {"time_format", "format of time columns: auto or strptime-like (%Y-%m-%d %H:%M:%S)"},
      {"header", "yes, no or auto: whether the first non-comment line names the columns"},
      {"assume_http", "yes: URLs without a scheme get http://"},
  };
  return kOptions;
}

const std::vector<std::pair<std::string, std::string>>& CsvOptions() {
  static const std::vector<std::pair<std::string, std::string>> kOptions = [] {
    std::vector<std::pair<std::string, std::string>> out = {
        {"definition",
         "a TOML feed definition file (docs/formats/feeds.md); the other options "
         "override it"},
        {"columns",
         "column mapping in order, comma-separated [name:]type entries, e.g. "
         "url,,time:first_seen,malware:label (empty entry: kept as a field)"},
        {"delimiter",
         "field delimiter: one character, tab, space (runs of blanks), none (one "
         "value per line) or auto (the default: sniffed among , ; tab | and blanks)"},
        {"comment", "comment line prefixes, comma-separated (default #)"},
        {"quote", "quote character (default \"; empty for none)"},
        {"kind", "observable kind for columns of type auto (url, ipv4, domain, sha256, ...)"},
        {"strict_columns", "yes: rows whose field count differs from the header are rejected"},
    };
    for (const auto& option : DefinitionOptions()) out.push_back(option);
    return out;
  }();
  return kOptions;
}

core::Status ApplyOptions(const ReadContext& context, FeedDefinition* def) {
  if (const std::string* path = context.Option("definition")) {
    bool ok = false;
    bool too_large = false;
    std::string text = ReadFileLimited(*path, &ok, &too_large);
    if (!ok) {
      return MakeError(
          too_large ? ErrorCode::kLimit : ErrorCode::kNotFound,
          too_large ? "definition file is larger than 1 MiB" : "cannot read the definition file",
          *path);
    }
    auto parsed = ParseDefinition(text, *path);
    if (!parsed.ok()) return parsed.error();
    *def = std::move(*parsed);
  }
  for (const auto& option : context.options) {
    const std::string& key = option.first;
    const std::string& value = option.second;
    auto fail = [&key](const core::Error& e) {
      return MakeError(ErrorCode::kInvalidArgument, "option " + key + ": " + e.message);
    };
    if (key == "definition") continue;
    if (key == "columns") {
      auto columns = ParseColumnList(value);
      if (!columns.ok()) return fail(columns.error());
      def->columns = std::move(*columns);
      def->bind_by_name = false;
    } else if (key == "delimiter") {
      def->sniff_delimiter = value == "auto";
      if (value == "auto" || value == "none") {
        def->layout = Layout::kDelimited;
        def->delimiter = 0;
      } else if (value == "space" || value == "whitespace") {
        def->layout = Layout::kWhitespace;
      } else {
        auto c = ParseCharSetting("delimiter", value);
        if (!c.ok()) return fail(c.error());
        def->layout = Layout::kDelimited;
        def->delimiter = *c;
      }
    } else if (key == "comment") {
      def->comments.clear();
      for (std::string& prefix : SplitList(value, ',')) {
        if (!prefix.empty()) def->comments.push_back(std::move(prefix));
      }
    } else if (key == "quote") {
      auto c = ParseCharSetting("quote", value);
      if (!c.ok()) return fail(c.error());
      def->quote = *c;
    } else if (key == "header") {
      auto mode = ParseHeaderMode(value);
      if (!mode.ok()) return fail(mode.error());
      def->header = *mode;
    } else if (key == "indicator" || key == "indicators") {
      auto b = ParseYesNo(key, value);
      if (!b.ok()) return fail(b.error());
      def->indicator = *b;
    } else if (key == "strict_columns") {
      auto b = ParseYesNo(key, value);
      if (!b.ok()) return fail(b.error());
      def->strict_columns = *b;
    } else if (key == "assume_http") {
      auto b = ParseYesNo(key, value);
      if (!b.ok()) return fail(b.error());
      def->assume_http = *b;
    } else if (key == "kind") {
      auto k = normalize::KindFromName(value);
      if (!k) {
        return MakeError(ErrorCode::kInvalidArgument, "option kind: unknown kind " + Quoted(value));
      }
      def->default_kind = *k;
    } else if (key == "time_format") {
      def->time_format = value;
    } else if (key == "labels") {
      for (std::string& label : SplitList(value, ',')) {
        if (!label.empty()) def->labels.push_back(std::move(label));
      }
    } else if (key == "indicator_types") {
      def->indicator_types.clear();
      for (std::string& type : SplitList(value, ',')) {
        if (!type.empty()) def->indicator_types.push_back(std::move(type));
      }
    } else if (key == "tlp") {
      auto level = ParseTlp(value);
      if (!level.ok()) return fail(level.error());
      def->tlp = *level;
    }
  }
  return CheckDefinition(*def);
}

core::Status CheckDefinition(const FeedDefinition& def) {
  auto fail = [&](std::string message) {
    return MakeError(ErrorCode::kInvalidArgument, std::move(message), def.name);
  };
  if (!IsValidTimeFormat(def.time_format)) {
    return fail("time_format " + Quoted(def.time_format) + " has an unknown % directive");
  }
  if (def.layout == Layout::kDelimited && def.delimiter != 0 && def.delimiter == def.quote) {
    return fail("the delimiter and the quote are the same character");
  }
  for (const std::string& c : def.comments) {
    if (c.empty()) return fail("an empty comment prefix would make every line a comment");
  }
  for (const ColumnSpec& column : def.columns) {
    if (!IsValidTimeFormat(column.time_format)) {
      return fail("column " + Quoted(column.name) + ": time format " + Quoted(column.time_format) +
                  " has an unknown % directive");
    }
    if (!column.kind_column.empty()) {
      bool found = false;
      for (const ColumnSpec& other : def.columns) found = found || other.name == column.kind_column;
      if (!found) {
        return fail("column " + Quoted(column.name) + ": kind_column " +
                    Quoted(column.kind_column) + " is not a column of the definition");
      }
    }
  }
  for (const std::string& name : def.positional) {
    bool found = false;
    for (const ColumnSpec& column : def.columns) found = found || column.name == name;
    if (!found) return fail("positional: " + Quoted(name) + " is not a column of the definition");
  }
  for (const DerivedSpec& derived : def.derived) {
    for (const DerivedSpec::Piece& piece : derived.pieces) {
      if (!piece.is_column) continue;
      bool numeric =
          !piece.text.empty() && std::all_of(piece.text.begin(), piece.text.end(),
                                             [](char c) { return c >= '0' && c <= '9'; });
      bool found = numeric;
      for (const ColumnSpec& column : def.columns) found = found || column.name == piece.text;
      if (!found) {
        return fail("derived " + Quoted(derived.name) + ": template column " + Quoted(piece.text) +
                    " is not a column of the definition");
      }
    }
  }
  for (const BannerTime& banner : def.banner_times) {
    if (!IsValidTimeFormat(banner.format)) {
      return fail("banner time format " + Quoted(banner.format) + " has an unknown % directive");
    }
  }
  return {};
}

}  // namespace tessera::formats::feeds

#include "formats/feeds/row.h"

#include <algorithm>
#include <cstring>
#include <initializer_list>

#include "core/json.h"
#include "core/time.h"
#include "core/uuid.h"
#include "formats/feeds/time_format.h"
#include "formats/stix_build.h"
#include "normalize/classify.h"
#include "normalize/extract.h"
#include "normalize/filename.h"
#include "normalize/stix_mapping.h"
#include "stix/ids.h"

namespace tessera::formats::feeds {
namespace {

using core::Json;
using normalize::Kind;

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }
bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

std::string Quoted(std::string_view s) {
  std::string out = "'";
  out.append(s.substr(0, 200));
  if (s.size() > 200) out += "...";
  out += '\'';
  return out;
}

bool IsPlainAscii(std::string_view s) {
  // Eight bytes at a time: any high bit set means non-ASCII.
  size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    uint64_t word;
    std::memcpy(&word, s.data() + i, 8);
    if ((word & 0x8080808080808080ULL) != 0) return false;
  }
  for (; i < s.size(); ++i) {
    if (static_cast<unsigned char>(s[i]) >= 0x80) return false;
  }
  return true;
}

bool IsWellFormedUtf8(std::string_view s) {
  return IsPlainAscii(s) || normalize::detail::IsValidUtf8(s);
}

// Well-formed UTF-8 with every bad byte replaced by U+FFFD.
std::string RepairUtf8(std::string_view s) {
  std::string out;
  size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    size_t len = c < 0x80           ? 1
                 : (c >> 5) == 0x6  ? 2
                 : (c >> 4) == 0xE  ? 3
                 : (c >> 3) == 0x1E ? 4
                                    : 0;
    if (len > 0 && i + len <= s.size() && normalize::detail::IsValidUtf8(s.substr(i, len))) {
      out.append(s.substr(i, len));
      i += len;
    } else {
      out.append("\xEF\xBF\xBD");
      ++i;
    }
  }
  return out;
}

// Guessed column meanings for headers when a read has no column mapping.
struct GuessedName {
  std::string_view key;  // NameKey form
  std::string_view type;
};
constexpr GuessedName kGuessedNames[] = {
    {"url", "url"},
    {"uri", "url"},
    {"ip", "ip-or-cidr"},
    {"ipaddress", "ip-or-cidr"},
    {"ipaddr", "ip-or-cidr"},
    {"srcip", "ip-or-cidr"},
    {"sourceip", "ip-or-cidr"},
    {"dstip", "ip-or-cidr"},
    {"destinationip", "ip-or-cidr"},
    {"address", "ip-or-cidr"},
    {"cidr", "ip-or-cidr"},
    {"network", "ip-or-cidr"},
    {"netblock", "ip-or-cidr"},
    {"subnet", "ip-or-cidr"},
    {"domain", "domain"},
    {"domainname", "domain"},
    {"hostname", "domain"},
    {"host", "domain"},
    {"fqdn", "domain"},
    {"email", "email"},
    {"md5", "md5"},
    {"md5hash", "md5"},
    {"sha1", "sha1"},
    {"sha1hash", "sha1"},
    {"sha256", "sha256"},
    {"sha256hash", "sha256"},
    {"sha512", "sha512"},
    {"asn", "asn"},
    {"indicator", "auto"},
    {"ioc", "auto"},
    {"iocvalue", "auto"},
    {"value", "auto"},
    {"firstseen", "first_seen"},
    {"firstseenutc", "first_seen"},
    {"dateadded", "first_seen"},
    {"date", "first_seen"},
    {"timestamp", "first_seen"},
    {"time", "first_seen"},
    {"lastseen", "last_seen"},
    {"lastseenutc", "last_seen"},
    {"lastonline", "last_seen"},
    {"tags", "label"},
    {"tag", "label"},
    {"labels", "label"},
    {"malware", "malware"},
    {"family", "malware"},
    {"malwarefamily", "malware"},
    {"description", "description"},
    {"comment", "description"},
    {"confidence", "confidence"},
    {"reference", "reference"},
    {"tlp", "tlp"},
};

// "column 'name': 'value'", the start of what is said about a column's value.
std::string ColumnValue(std::string_view column_name, std::string_view value) {
  std::string out = "column '";
  out.append(column_name).append("': ").append(Quoted(value));
  return out;
}

// Keeps a value that does not map as a source field, with a note saying why.
void KeepAsField(std::string_view column_name, std::string_view value, std::string_view why,
                 MappedRow* row) {
  row->fields.emplace_back(column_name, value);
  row->notes.push_back(
      ColumnValue(column_name, value).append(" kept as a source field: ").append(why));
}

bool IsEmptyValue(const ColumnSpec& spec, std::string_view value) {
  for (const std::string& e : spec.empty_values) {
    if (value == e) return true;
  }
  return false;
}

template <typename F>
void ForEachPart(std::string_view value, char split, F&& f) {
  if (split == 0) {
    f(value);
    return;
  }
  size_t start = 0;
  while (start <= value.size()) {
    size_t end = value.find(split, start);
    if (end == std::string_view::npos) end = value.size();
    std::string_view part = Trim(value.substr(start, end - start));
    if (!part.empty()) f(part);
    start = end + 1;
  }
}

// Each non-empty part of `value` (split at `split`, when set) added once to `list`.
void AddParts(std::string_view value, char split, StringList* list) {
  ForEachPart(value, split, [list](std::string_view part) { list->AddUnique(part); });
}

bool ParseSmallInt(std::string_view s, int64_t max, int64_t* out) {
  s = Trim(s);
  // "51" or "51.0"
  size_t dot = s.find('.');
  std::string_view whole = s.substr(0, dot);
  if (dot != std::string_view::npos) {
    for (char c : s.substr(dot + 1)) {
      if (c != '0') return false;
    }
  }
  if (whole.empty() || whole.size() > 12) return false;
  int64_t v = 0;
  for (char c : whole) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  if (v > max) return false;
  *out = v;
  return true;
}

// No byte of `s` is a blank or a control character (below 0x21, or DEL).
bool HasNoBlankOrControl(std::string_view s) {
  // Eight bytes at a time: (w - 0x21..) & ~w has a high bit set exactly when
  // some byte is below 0x21, and the same test on w ^ 0x7f.. for DEL.
  constexpr uint64_t kOnes = 0x0101010101010101ULL;
  constexpr uint64_t kHighs = 0x8080808080808080ULL;
  size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    uint64_t word;
    std::memcpy(&word, s.data() + i, 8);
    const uint64_t del = word ^ (kOnes * 0x7f);
    if ((((word - kOnes * 0x21) & ~word) | ((del - kOnes) & ~del)) & kHighs) return false;
  }
  for (; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c <= 0x20 || c == 0x7f) return false;
  }
  return true;
}

// A reference URL as feeds give it: http(s) with no blanks or controls.
bool LooksLikeReferenceUrl(std::string_view s) {
  if (s.substr(0, 7) != "http://" && s.substr(0, 8) != "https://") return false;
  return HasNoBlankOrControl(s);
}

bool KindIsSimpleValue(Kind kind) {
  switch (kind) {
    case Kind::kIpv4:
    case Kind::kIpv4Network:
    case Kind::kIpv6:
    case Kind::kIpv6Network:
    case Kind::kDomain:
    case Kind::kUrl:
    case Kind::kEmail:
    case Kind::kMac:
      return true;
    default:
      return false;
  }
}

std::string_view HashName(Kind kind) {
  switch (kind) {
    case Kind::kMd5:
      return "MD5";
    case Kind::kSha1:
      return "SHA-1";
    case Kind::kSha256:
      return "SHA-256";
    case Kind::kSha512:
      return "SHA-512";
    case Kind::kSsdeep:
      return "SSDEEP";
    case Kind::kTlsh:
      return "TLSH";
    default:
      return "";
  }
}

bool KindIsHash(Kind kind) { return !HashName(kind).empty(); }

// ---- the reference objects for certificate fingerprints ----

Json CertificateSco(const normalize::Observable& o) {
  Json sco = Json::MakeObject();
  sco.Set("type", Json::String("x509-certificate"));
  sco.Set("spec_version", Json::String("2.1"));
  sco.Set("hashes", Json::MakeObject({{std::string(HashName(o.kind)), Json::String(o.value)}}));
  auto id = stix::ComputeScoId(sco);
  Json::Object& members = sco.as_object();
  members.insert(members.begin() + 2,
                 Json::Member("id", Json::String(id.ok() ? id->id : std::string())));
  return sco;
}

std::string CertificatePattern(const normalize::Observable& o) {
  std::string p = "[x509-certificate:hashes.";
  normalize::AppendPatternLiteral(&p, HashName(o.kind));
  p += " = ";
  normalize::AppendPatternLiteral(&p, o.value);
  p += ']';
  return p;
}

// ---- compact JSON text ----

// Writes compact JSON text into a string reused from row to row, replacing what
// it held: the string is opened to its whole capacity, pieces are copied at a cursor (a constant
// fragment with a size known at compile time, so the copy is inlined), and the
// destructor trims the string to what was written. Each piece checks for room
// for the most it can take (a string: every byte escaped to six).
class JsonText {
 public:
  explicit JsonText(std::string* out) : out_(out) {
    // A new string (the sink took the last row's objects) starts with room for a
    // usual object instead of growing to it step by step.
    if (out_->capacity() < kUsualObjectBytes) out_->reserve(kUsualObjectBytes);
    out_->resize(out_->capacity());
    Rebase(0);
  }
  ~JsonText() { out_->resize(static_cast<size_t>(cursor_ - out_->data())); }
  JsonText(const JsonText&) = delete;
  JsonText& operator=(const JsonText&) = delete;

  // A constant fragment, as it is.
  template <size_t N>
  JsonText& operator<<(const char (&fragment)[N]) {
    Room(N - 1);
    std::memcpy(cursor_, fragment, N - 1);
    cursor_ += N - 1;
    return *this;
  }
  // Text that needs no escaping (ids, timestamps, names the reader made), as it is.
  JsonText& operator<<(std::string_view text) {
    Room(text.size());
    std::memcpy(cursor_, text.data(), text.size());
    cursor_ += text.size();
    return *this;
  }
  JsonText& operator<<(char c) {
    Room(1);
    *cursor_++ = c;
    return *this;
  }
  // `s` as a JSON string, escaped as core::AppendJsonString escapes it.
  JsonText& String(std::string_view s) {
    Room(core::MaxJsonStringSize(s.size()));
    cursor_ = core::WriteJsonString(cursor_, s);
    return *this;
  }
  // ,"key":"value" with the value escaped.
  JsonText& StringMember(std::string_view key, std::string_view value) {
    return Key(key).String(value);
  }
  // ,"key":["a","b"] with the values escaped.
  template <typename List>
  JsonText& StringArrayMember(std::string_view key, const List& values) {
    Key(key) << '[';
    for (size_t i = 0; i < values.size(); ++i) {
      if (i > 0) *this << ',';
      String(values[i]);
    }
    return *this << ']';
  }
  JsonText& Key(std::string_view key) { return *this << ",\"" << key << "\":"; }

 private:
  void Room(size_t n) {
    if (static_cast<size_t>(end_ - cursor_) < n) Grow(n);
  }
  void Grow(size_t n) {
    const size_t at = static_cast<size_t>(cursor_ - out_->data());
    out_->resize(std::max(2 * out_->size(), at + n + 256));
    Rebase(at);
  }
  void Rebase(size_t at) {
    cursor_ = out_->data() + at;
    end_ = out_->data() + out_->size();
  }
  // An SCO, indicator or relationship with markings and source fields.
  static constexpr size_t kUsualObjectBytes = 512;

  std::string* out_;
  char* cursor_ = nullptr;
  char* end_ = nullptr;
};

// Assigns only when different (the record's buffers are reused row to row).
void Set(std::string* field, std::string_view value) {
  if (std::string_view(*field) != value) field->assign(value.data(), value.size());
}

stix::StixObject* NextSlot(Record* record, size_t* used) {
  if (*used < record->objects.size()) {
    stix::StixObject* o = &record->objects[(*used)++];
    o->object_marking_refs.clear();
    return o;
  }
  // Room for a row's usual objects (an SCO, its indicator and their
  // relationship, one to spare) when the sink took the last row's.
  if (record->objects.capacity() < 4) record->objects.reserve(4);
  record->objects.emplace_back();
  ++*used;
  return &record->objects.back();
}

}  // namespace

std::string NameKey(std::string_view name) {
  std::string key;
  for (char c : name) {
    char l = Lower(c);
    if ((l >= 'a' && l <= 'z') || (l >= '0' && l <= '9')) key.push_back(l);
  }
  return key;
}

void MappedRow::Clear() {
  observables.clear();
  first_seen.clear();
  last_seen.clear();
  valid_until.clear();
  labels.clear();
  indicator_types.clear();
  malware.clear();
  description.clear();
  confidence = -1;
  references.clear();
  external_id.clear();
  tlp.reset();
  count = 0;
  fields.clear();
  notes.clear();
  owned.clear();
}

// ---- RowMapper ----

RowMapper::RowMapper(const FeedDefinition& definition, const normalize::NormalizeOptions& options)
    : def_(definition), options_(options) {
  if (def_.assume_http) options_.assume_http_without_scheme = true;
  auto_columns_ = def_.columns.empty();
  // Without a column marked as the indicator, the first observable column is.
  bool marked = false;
  for (const ColumnSpec& spec : def_.columns) marked = marked || spec.indicator;
  for (const DerivedSpec& derived : def_.derived) marked = marked || derived.indicator;
  for (const ColumnSpec& spec : def_.columns) {
    if (!marked && primary_ == nullptr && spec.type == ColumnType::kObservable) primary_ = &spec;
  }
}

bool RowMapper::LooksLikeHeader(const std::vector<std::string_view>& fields) const {
  if (auto_columns_) {
    // No mapping: a header when every cell is a short name and none is an observable.
    if (fields.size() < 2) return false;
    for (std::string_view f : fields) {
      f = Trim(f);
      if (f.empty() || f.size() > 64) return false;
      if (!((f[0] >= 'a' && f[0] <= 'z') || (f[0] >= 'A' && f[0] <= 'Z') || f[0] == '_')) {
        return false;
      }
      for (char c : f) {
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '_' || c == ' ' || c == '-' || c == '.' || c == '(' || c == ')' || c == '/';
        if (!ok) return false;
      }
      if (normalize::Classify(f, options_).kinds.size() == 1) return false;
    }
    return true;
  }
  size_t named = 0;
  size_t matched = 0;
  for (const ColumnSpec& spec : def_.columns) {
    if (spec.name.empty()) continue;
    ++named;
    bool found = false;
    for (std::string_view f : fields) {
      std::string key = NameKey(f);
      if (key.empty()) continue;
      found = found || key == NameKey(spec.name);
      for (const std::string& alias : spec.aliases) found = found || key == NameKey(alias);
    }
    if (found) ++matched;
  }
  return named >= 2 && matched >= 2 && matched * 2 >= named;
}

void RowMapper::EnsureColumns(size_t count) {
  while (columns_.size() < count) {
    BoundColumn column;
    column.name = "column_" + std::to_string(columns_.size() + 1);
    columns_.push_back(std::move(column));
  }
}

// The field of the bound column whose definition column is named `name`, or -1.
int RowMapper::FieldNamed(std::string_view name) const {
  int field = -1;
  for (size_t j = 0; j < columns_.size(); ++j) {
    if (columns_[j].spec != nullptr && columns_[j].spec->name == name) field = static_cast<int>(j);
  }
  return field;
}

// kind_column and templates refer to definition columns by name (a template also
// by 1-based position).
void RowMapper::ResolveColumnReferences() {
  for (BoundColumn& column : columns_) {
    if (column.spec != nullptr && !column.spec->kind_column.empty()) {
      column.kind_field = FieldNamed(column.spec->kind_column);
    }
  }
  derived_fields_.clear();
  for (const DerivedSpec& derived : def_.derived) {
    std::vector<int> fields;
    for (const DerivedSpec::Piece& piece : derived.pieces) {
      int field = -1;
      if (piece.is_column) {
        bool numeric = std::all_of(piece.text.begin(), piece.text.end(),
                                   [](char c) { return c >= '0' && c <= '9'; });
        field = numeric ? std::atoi(piece.text.c_str()) - 1 : FieldNamed(piece.text);
      }
      fields.push_back(field);
    }
    derived_fields_.push_back(std::move(fields));
  }
}

void RowMapper::BindPositions() {
  columns_.clear();
  guessed_.clear();
  classify_unbound_ = false;
  std::vector<const ColumnSpec*> order;
  if (def_.positional.empty()) {
    for (const ColumnSpec& spec : def_.columns) order.push_back(&spec);
  } else {
    for (const std::string& name : def_.positional) {
      for (const ColumnSpec& spec : def_.columns) {
        if (spec.name == name) {
          order.push_back(&spec);
          break;
        }
      }
    }
  }
  for (size_t i = 0; i < order.size(); ++i) {
    BoundColumn column;
    column.spec = order[i];
    column.name = order[i]->name.empty() ? "column_" + std::to_string(i + 1) : order[i]->name;
    columns_.push_back(std::move(column));
  }
  if (auto_columns_) {
    // Every column is classified, value by value; those that are not observables
    // stay fields, silently.
    guessed_.resize(1);
    guessed_[0].type = ColumnType::kObservable;
    guessed_[0].keep_invalid = true;
    classify_unbound_ = true;
  }
  expected_fields_ = def_.strict_columns && order.size() >= 2 ? order.size() : 0;
  bound_ = true;
  ResolveColumnReferences();
}

void RowMapper::BindHeader(const std::vector<std::string_view>& header) {
  columns_.clear();
  guessed_.clear();
  classify_unbound_ = false;
  if (auto_columns_) guessed_.reserve(header.size());
  std::vector<std::string> used_names;
  for (size_t i = 0; i < header.size(); ++i) {
    BoundColumn column;
    std::string_view text = Trim(header[i]);
    std::string key = NameKey(text);
    if (!def_.columns.empty() && def_.bind_by_name) {
      for (const ColumnSpec& spec : def_.columns) {
        bool match = !key.empty() && NameKey(spec.name) == key;
        for (const std::string& alias : spec.aliases) match = match || NameKey(alias) == key;
        if (match && column.spec == nullptr) column.spec = &spec;
      }
    } else if (!def_.columns.empty() && i < def_.columns.size()) {
      column.spec = &def_.columns[i];
    } else if (auto_columns_) {
      for (const GuessedName& g : kGuessedNames) {
        if (g.key != key) continue;
        auto type = ParseColumnType(g.type);
        if (!type.ok()) break;
        ColumnSpec spec;
        spec.name = std::string(text);
        spec.type = type->first;
        spec.kind = type->second;
        spec.keep_invalid = true;
        if (spec.type == ColumnType::kLabel) spec.split = ',';
        guessed_.push_back(std::move(spec));
        column.spec = &guessed_.back();
        break;
      }
    }
    std::string name = column.spec != nullptr && !column.spec->name.empty()
                           ? column.spec->name
                           : (text.empty() ? "column_" + std::to_string(i + 1) : std::string(text));
    // Unique names: a repeated header name gets _2, _3, ...
    std::string unique = name;
    for (int n = 2; std::find(used_names.begin(), used_names.end(), unique) != used_names.end();
         ++n) {
      unique = name + "_" + std::to_string(n);
    }
    used_names.push_back(unique);
    column.name = std::move(unique);
    columns_.push_back(std::move(column));
  }
  expected_fields_ = def_.strict_columns ? header.size() : 0;
  bound_ = true;
  ResolveColumnReferences();
}

bool RowMapper::NormalizeValue(const KindSpec& kind, std::string_view value, MappedObservable* out,
                               std::string* why) {
  auto as = [&](Kind k, std::string_view text) {
    return normalize::NormalizeAsInto(k, text, options_, &out->observable, why);
  };
  out->certificate = false;
  switch (kind.mode) {
    case KindSpec::Mode::kFixed:
      if (kind.kind == Kind::kAsn && !value.empty() && value[0] >= '0' && value[0] <= '9') {
        // The column says it is an AS number: a bare number is one.
        scratch_.assign("AS");
        scratch_.append(value);
        return as(Kind::kAsn, scratch_);
      }
      return as(kind.kind, value);
    case KindSpec::Mode::kIp: {
      bool v6 = value.find(':') != std::string_view::npos;
      return as(v6 ? Kind::kIpv6 : Kind::kIpv4, value);
    }
    case KindSpec::Mode::kIpOrNetwork:
    case KindSpec::Mode::kNetwork: {
      bool v6 = value.find(':') != std::string_view::npos;
      bool network = value.find('/') != std::string_view::npos;
      if (!network && kind.mode == KindSpec::Mode::kNetwork) {
        *why = "not a network (address/prefix)";
        return false;
      }
      Kind k = network ? (v6 ? Kind::kIpv6Network : Kind::kIpv4Network)
                       : (v6 ? Kind::kIpv6 : Kind::kIpv4);
      return as(k, value);
    }
    case KindSpec::Mode::kCertificate:
      if (!as(kind.kind, value)) return false;
      out->certificate = true;
      return true;
    case KindSpec::Mode::kAuto: {
      if (def_.default_kind) return as(*def_.default_kind, value);
      auto classified = normalize::Normalize(value, options_);
      if (!classified.ok()) {
        *why = classified.error().message;
        return false;
      }
      out->observable = std::move(*classified);
      return true;
    }
  }
  return false;
}

bool RowMapper::MapObservable(const ColumnSpec& spec, std::string_view column_name,
                              std::string_view value, std::string_view kind_value, MappedRow* row,
                              std::string* reason) {
  KindSpec kind = spec.kind;
  bool keep_raw = false;  // the raw value is kept too (host:port values)
  if (!spec.kind_map.empty() || !spec.kind_column.empty()) {
    for (const auto& [from, to] : spec.kind_map) {
      if (from == kind_value) {
        auto parsed = ParseColumnType(to);
        if (parsed.ok()) kind = parsed->second;
      }
    }
  }
  const bool indicator = spec.indicator || &spec == primary_;
  const bool guessed_auto = spec.kind.mode == KindSpec::Mode::kAuto && !def_.default_kind &&
                            spec.keep_invalid.value_or(false) && !indicator;
  const bool keep = spec.keep_invalid.value_or(!indicator);
  bool failed = false;
  std::string why;
  ForEachPart(value, spec.split, [&](std::string_view part) {
    if (failed) return;
    std::string_view text = part;
    // host:port (ThreatFox "ip:port"): the address is the observable.
    if ((kind.mode == KindSpec::Mode::kIp || kind.mode == KindSpec::Mode::kIpOrNetwork) &&
        std::count(text.begin(), text.end(), ':') == 1) {
      text = text.substr(0, text.find(':'));
      keep_raw = true;
    } else if (kind.mode == KindSpec::Mode::kIp && text.size() > 2 && text.front() == '[' &&
               text.find("]:") != std::string_view::npos) {
      text = text.substr(1, text.find("]:") - 1);
      keep_raw = true;
    }
    MappedObservable& mapped = row->observables.AddSlot();
    if (!NormalizeValue(kind, text, &mapped, &why)) {
      row->observables.pop_back();
      failed = true;
      return;
    }
    mapped.indicator = indicator;
    // One SCO per distinct observable in a row.
    for (size_t k = 0; k + 1 < row->observables.size(); ++k) {
      MappedObservable& existing = row->observables[k];
      if (existing.observable.kind == mapped.observable.kind &&
          existing.certificate == mapped.certificate &&
          existing.observable.value == mapped.observable.value) {
        existing.indicator = existing.indicator || mapped.indicator;
        row->observables.pop_back();
        return;
      }
    }
  });
  if (failed) {
    if (!guessed_auto && !keep) {
      *reason = ColumnValue(column_name, value) + " is not " +
                (kind.mode == KindSpec::Mode::kFixed
                     ? "a valid " + std::string(normalize::KindName(kind.kind))
                     : std::string("a valid observable")) +
                ": " + why;
      return false;
    }
    if (guessed_auto) {
      row->fields.emplace_back(column_name, value);
    } else {
      KeepAsField(column_name, value, why, row);
    }
    if (first_failure_.empty()) first_failure_ = ColumnValue(column_name, value) + ": " + why;
    return true;
  }
  if (keep_raw) row->fields.emplace_back(column_name, value);
  return true;
}

bool RowMapper::Map(const std::vector<std::string_view>& fields, std::string_view banner_time,
                    MappedRow* row, std::string* reason) {
  row->Clear();
  first_failure_.clear();
  if (expected_fields_ != 0 && fields.size() != expected_fields_) {
    *reason = "the row has " + std::to_string(fields.size()) + " field" +
              (fields.size() == 1 ? "" : "s") + " where " + std::to_string(expected_fields_) +
              " are expected";
    return false;
  }
  EnsureColumns(fields.size());
  for (const std::string& label : def_.labels) row->labels.AddUnique(label);
  if (def_.indicator) {
    for (const std::string& type : def_.indicator_types) row->indicator_types.AddUnique(type);
  }
  auto keep_or_reject = [&](const ColumnSpec& spec, std::string_view name, std::string_view value,
                            const std::string& why, bool reject_by_default) {
    if (!spec.keep_invalid.value_or(!reject_by_default)) {
      *reason = ColumnValue(name, value) + " " + why;
      return false;
    }
    KeepAsField(name, value, why, row);
    return true;
  };
  for (size_t j = 0; j < fields.size(); ++j) {
    std::string_view value = fields[j];
    if (value.empty()) continue;
    const BoundColumn& column = columns_[j];
    const ColumnSpec* spec = column.spec;
    if (spec == nullptr && classify_unbound_) spec = &guessed_[0];
    if (spec == nullptr || spec->type == ColumnType::kField) {
      row->fields.emplace_back(column.name, value);
      continue;
    }
    value = Trim(value);
    if (value.empty() || IsEmptyValue(*spec, value)) continue;
    std::string_view name = column.name;
    switch (spec->type) {
      case ColumnType::kField:
        break;
      case ColumnType::kIgnore:
        break;
      case ColumnType::kObservable: {
        std::string_view kind_value;
        if (column.kind_field >= 0 && static_cast<size_t>(column.kind_field) < fields.size()) {
          kind_value = Trim(fields[static_cast<size_t>(column.kind_field)]);
        }
        if (!MapObservable(*spec, name, value, kind_value, row, reason)) return false;
        break;
      }
      case ColumnType::kExtract: {
        normalize::ExtractOptions options;
        options.normalize = options_;
        for (normalize::Extracted& e : normalize::ExtractObservables(value, options)) {
          MappedObservable mapped;
          mapped.observable = std::move(e.observable);
          bool duplicate = false;
          for (const MappedObservable& existing : row->observables) {
            duplicate = duplicate || (existing.observable.kind == mapped.observable.kind &&
                                      existing.observable.value == mapped.observable.value);
          }
          if (!duplicate) row->observables.AddSlot() = std::move(mapped);
        }
        row->fields.emplace_back(name, value);
        break;
      }
      case ColumnType::kFirstSeen:
      case ColumnType::kLastSeen:
      case ColumnType::kValidUntil: {
        std::string* target = spec->type == ColumnType::kFirstSeen  ? &row->first_seen
                              : spec->type == ColumnType::kLastSeen ? &row->last_seen
                                                                    : &row->valid_until;
        const std::string& format =
            spec->time_format.empty() ? def_.time_format : spec->time_format;
        if (!target->empty()) {
          row->fields.emplace_back(name, value);
          break;
        }
        if (!ParseFeedTime(format, value, target)) {
          if (!keep_or_reject(*spec, name, value, "is not a time in the format '" + format + "'",
                              spec->type == ColumnType::kFirstSeen)) {
            return false;
          }
          break;
        }
        // No STIX home on this kind of object: kept as written.
        bool homeless = (spec->type == ColumnType::kLastSeen && def_.indicator) ||
                        (spec->type == ColumnType::kValidUntil && !def_.indicator);
        if (homeless) row->fields.emplace_back(name, value);
        break;
      }
      case ColumnType::kLabel:
        AddParts(value, spec->split, &row->labels);
        break;
      case ColumnType::kIndicatorType:
        if (!def_.indicator) {
          row->fields.emplace_back(name, value);
          break;
        }
        AddParts(value, spec->split, &row->indicator_types);
        break;
      case ColumnType::kMalware:
        AddParts(value, spec->split, &row->malware);
        break;
      case ColumnType::kDescription:
        if (!def_.indicator || !row->description.empty()) {
          row->fields.emplace_back(name, value);
        } else {
          row->description.assign(value);
        }
        break;
      case ColumnType::kConfidence: {
        int64_t v = 0;
        if (row->confidence >= 0) {
          row->fields.emplace_back(name, value);
        } else if (ParseSmallInt(value, 100, &v)) {
          row->confidence = static_cast<int>(v);
        } else if (!keep_or_reject(*spec, name, value, "is not a confidence 0-100", false)) {
          return false;
        }
        break;
      }
      case ColumnType::kReference:
        if (LooksLikeReferenceUrl(value)) {
          row->references.AddUnique(value);
        } else if (!keep_or_reject(*spec, name, value, "is not an http(s) URL", false)) {
          return false;
        }
        break;
      case ColumnType::kExternalId:
        if (row->external_id.empty()) {
          row->external_id.assign(value);
        } else {
          row->fields.emplace_back(name, value);
        }
        break;
      case ColumnType::kTlp: {
        std::string tag = "tlp:";
        tag.append(value);
        auto level = stix::TlpLevelFromTag(tag);
        if (!level) level = stix::TlpLevelFromTag(value);
        if (level && !row->tlp) {
          row->tlp = *level;
        } else if (!keep_or_reject(*spec, name, value, "is not a TLP level", false)) {
          return false;
        }
        break;
      }
      case ColumnType::kCount: {
        int64_t v = 0;
        if (def_.indicator) {
          row->fields.emplace_back(name, value);  // indicators have no count
        } else if (ParseSmallInt(value, 1000000000, &v) && v >= 1 && row->count == 0) {
          row->count = v;
        } else if (!keep_or_reject(*spec, name, value, "is not a count (1 or more)", false)) {
          return false;
        }
        break;
      }
    }
  }
  // Observables built from several columns.
  for (size_t d = 0; d < def_.derived.size(); ++d) {
    const DerivedSpec& derived = def_.derived[d];
    std::string value;
    bool complete = true;
    for (size_t p = 0; p < derived.pieces.size() && complete; ++p) {
      if (!derived.pieces[p].is_column) {
        value += derived.pieces[p].text;
        continue;
      }
      int field = derived_fields_[d][p];
      std::string_view part = field >= 0 && static_cast<size_t>(field) < fields.size()
                                  ? Trim(fields[static_cast<size_t>(field)])
                                  : std::string_view();
      if (part.empty()) complete = false;
      value.append(part);
    }
    if (!complete) continue;
    ColumnSpec spec;
    spec.kind = derived.kind;
    spec.indicator = derived.indicator;
    spec.keep_invalid = derived.keep_invalid;
    row->owned.push_back(std::move(value));
    if (!MapObservable(spec, derived.name, row->owned.back(), {}, row, reason)) return false;
  }
  if (row->observables.empty()) {
    *reason = "no observable in the row";
    if (!first_failure_.empty()) *reason += " (" + first_failure_ + ")";
    return false;
  }
  bool any_indicator = false;
  for (const MappedObservable& o : row->observables) any_indicator = any_indicator || o.indicator;
  if (!any_indicator) row->observables.front().indicator = true;
  // valid_until must be later than valid_from (STIX 2.1 §4.7).
  if (!row->valid_until.empty()) {
    std::string_view from =
        !row->first_seen.empty() ? std::string_view(row->first_seen) : banner_time;
    auto until = core::ParseStixTimestamp(row->valid_until);
    auto start = core::ParseStixTimestamp(from);
    if (until.ok() && start.ok() && !(*start < *until)) {
      row->notes.push_back("valid_until " + row->valid_until +
                           " is not after valid_from; kept as a source field");
      row->owned.push_back(row->valid_until);
      row->fields.emplace_back("valid_until", row->owned.back());
      row->valid_until.clear();
    }
  }
  // Later fields of the same name replace earlier ones in place (a JSON object).
  for (size_t i = 1; i < row->fields.size(); ++i) {
    for (size_t k = 0; k < i; ++k) {
      if (row->fields[k].first == row->fields[i].first) {
        row->fields[k].second = row->fields[i].second;
        row->fields.erase(row->fields.begin() + static_cast<std::ptrdiff_t>(i));
        --i;
        break;
      }
    }
  }
  // Everything that reaches JSON must be well-formed UTF-8.
  for (auto& [name, value] : row->fields) {
    if (IsWellFormedUtf8(value)) continue;
    row->notes.push_back(
        std::string("field '").append(name).append("': invalid UTF-8 replaced by U+FFFD"));
    row->owned.push_back(RepairUtf8(value));
    value = row->owned.back();
  }
  for (StringList* list : {&row->labels, &row->indicator_types, &row->malware}) {
    for (std::string& v : *list) {
      if (!IsWellFormedUtf8(v)) v = RepairUtf8(v);
    }
  }
  if (!IsWellFormedUtf8(row->description)) {
    row->description = RepairUtf8(row->description);
    row->notes.emplace_back("description: invalid UTF-8 replaced by U+FFFD");
  }
  if (!IsWellFormedUtf8(row->external_id)) row->external_id = RepairUtf8(row->external_id);
  return true;
}

// ---- RecordBuilder ----

RecordBuilder::RecordBuilder(std::string_view format, const FeedDefinition& definition,
                             std::string now, bool fast)
    : format_(format), def_(definition), now_(std::move(now)), fast_(fast) {
  // The fast path writes timestamps without escaping: a "now" that would need it
  // (it never should) sends every row through the reference path.
  for (char c : now_) {
    if (c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20) fast_ = false;
  }
}

bool RecordBuilder::NeedsPrelude(const MappedRow& row) const {
  std::optional<stix::TlpLevel> tlp = row.tlp ? row.tlp : def_.tlp;
  return tlp && !marking_shipped_[static_cast<size_t>(*tlp)];
}

void RecordBuilder::AddPrelude(const MappedRow& row, Record* record) {
  std::optional<stix::TlpLevel> tlp = row.tlp ? row.tlp : def_.tlp;
  if (tlp) {
    auto index = static_cast<size_t>(*tlp);
    if (!marking_shipped_[index]) {
      record->Add(stix::Tlp2MarkingDefinition(*tlp));
      marking_shipped_[index] = true;
    }
  }
}

void RecordBuilder::Build(const MappedRow& row, std::string_view raw, std::string_view banner_time,
                          Record* record) {
  std::string_view time = !row.first_seen.empty() ? std::string_view(row.first_seen)
                          : !banner_time.empty()  ? banner_time
                                                  : std::string_view(now_);
  for (const MappedObservable& o : row.observables) {
    for (const std::string& note : o.observable.notes) record->notes.push_back(note);
  }
  for (const std::string& note : row.notes) record->notes.push_back(note);
  if (fast_) {
    BuildFast(row, raw, time, record);
  } else {
    BuildJson(row, raw, time, record);
  }
}

namespace {

Json FieldsJson(const MappedRow& row) {
  Json fields = Json::MakeObject();
  for (const auto& [name, value] : row.fields) fields.Set(name, Json::String(std::string(value)));
  return fields;
}

Json ExternalReferences(const MappedRow& row, std::string_view source_name) {
  Json refs = Json::MakeArray();
  for (size_t i = 0; i < row.references.size(); ++i) {
    Json ref = Json::MakeObject();
    ref.Set("source_name", Json::String(std::string(source_name)));
    ref.Set("url", Json::String(row.references[i]));
    if (i == 0 && !row.external_id.empty()) ref.Set("external_id", Json::String(row.external_id));
    refs.as_array().push_back(std::move(ref));
  }
  if (row.references.empty() && !row.external_id.empty()) {
    Json ref = Json::MakeObject();
    ref.Set("source_name", Json::String(std::string(source_name)));
    ref.Set("external_id", Json::String(row.external_id));
    refs.as_array().push_back(std::move(ref));
  }
  return refs;
}

std::string MalwareId(std::string_view name) {
  std::string key;
  for (char c : name) key.push_back(Lower(c));
  return DeterministicId("malware", key);
}

}  // namespace

void RecordBuilder::BuildJson(const MappedRow& row, std::string_view raw, std::string_view time,
                              Record* record) {
  record->objects.clear();
  AddPrelude(row, record);
  std::optional<stix::TlpLevel> tlp = row.tlp ? row.tlp : def_.tlp;
  std::string marking = tlp ? std::string(stix::Tlp2MarkingId(*tlp)) : std::string();
  auto mark = [&](Json* o) {
    if (!marking.empty()) AddMarking(o, marking);
  };
  const std::string ts(time);
  std::vector<std::string> sco_ids;
  std::vector<bool> is_sco;
  std::vector<Json> sdos;  // observables STIX models as SDOs (CVE ids), added below
  for (const MappedObservable& o : row.observables) {
    Json sco = o.certificate ? CertificateSco(o.observable) : normalize::ToStixObject(o.observable);
    sco_ids.push_back(sco.Find("id")->as_string());
    if (o.observable.kind == Kind::kCve) {
      // A vulnerability named after the CVE: the time of the read, like malware.
      sco.Set("created", Json::String(now_));
      sco.Set("modified", Json::String(now_));
      mark(&sco);
      sdos.push_back(std::move(sco));
      is_sco.push_back(false);
      continue;
    }
    mark(&sco);
    is_sco.push_back(true);
    record->Add(sco);
  }
  const bool any_sco = std::find(is_sco.begin(), is_sco.end(), true) != is_sco.end();
  if (!any_sco) {
    // Only vulnerabilities (a CVE feed): the row's context goes on them.
    for (Json& sdo : sdos) {
      sdo.Set("created", Json::String(ts));
      sdo.Set("modified", Json::String(ts));
      for (const std::string& l : row.labels) AddToList(&sdo, "labels", l);
      if (!row.description.empty()) sdo.Set("description", Json::String(row.description));
      if (row.confidence >= 0) sdo.Set("confidence", Json::Int(row.confidence));
      if (!row.references.empty() || !row.external_id.empty()) {
        Json* refs = sdo.Find("external_references");
        Json more = ExternalReferences(row, def_.source_name);
        for (Json& ref : more.as_array()) refs->as_array().push_back(std::move(ref));
      }
    }
    if (!sdos.empty()) KeepSourceFields(&sdos.front(), format_, FieldsJson(row));
  }
  for (const Json& sdo : sdos) record->Add(sdo);
  std::vector<std::string> indicator_ids;
  if (def_.indicator) {
    for (size_t i = 0; i < row.observables.size(); ++i) {
      const MappedObservable& o = row.observables[i];
      if (!o.indicator) continue;
      std::string pattern =
          o.certificate ? CertificatePattern(o.observable) : normalize::ToStixPattern(o.observable);
      if (pattern.empty()) continue;
      Json ind = NewIndicator(pattern, "stix", ts);
      ind.Set("name", Json::String(o.observable.value));
      if (!row.valid_until.empty()) ind.Set("valid_until", Json::String(row.valid_until));
      for (const std::string& t : row.indicator_types) AddToList(&ind, "indicator_types", t);
      for (const std::string& l : row.labels) AddToList(&ind, "labels", l);
      if (!row.description.empty()) ind.Set("description", Json::String(row.description));
      if (row.confidence >= 0) ind.Set("confidence", Json::Int(row.confidence));
      if (!row.references.empty() || !row.external_id.empty()) {
        ind.Set("external_references", ExternalReferences(row, def_.source_name));
      }
      mark(&ind);
      if (indicator_ids.empty()) KeepSourceFields(&ind, format_, FieldsJson(row));
      std::string ind_id = ind.Find("id")->as_string();
      record->Add(ind);
      Json rel = NewRelationship(ind_id, "based-on", sco_ids[i], ts);
      mark(&rel);
      record->Add(rel);
      indicator_ids.push_back(std::move(ind_id));
    }
  }
  std::string observed_id;
  if (!indicator_ids.empty()) {
    for (size_t i = 0; i < row.observables.size(); ++i) {
      if (row.observables[i].indicator) continue;
      Json rel = NewRelationship(indicator_ids.front(), "related-to", sco_ids[i], ts);
      mark(&rel);
      record->Add(rel);
    }
  } else if (any_sco) {
    std::string key(format_);
    key += '|';
    key.append(raw);
    observed_id = DeterministicId("observed-data", key);
    Json od = NewObject("observed-data", observed_id, ts, ts);
    od.Set("first_observed", Json::String(ts));
    std::string last = ts;
    if (!row.last_seen.empty()) {
      auto a = core::ParseStixTimestamp(ts);
      auto b = core::ParseStixTimestamp(row.last_seen);
      if (a.ok() && b.ok() && !(*b < *a)) last = row.last_seen;
    }
    od.Set("last_observed", Json::String(last));
    od.Set("number_observed", Json::Int(row.count > 0 ? row.count : 1));
    Json refs = Json::MakeArray();
    for (size_t i = 0; i < sco_ids.size(); ++i) {
      if (is_sco[i]) refs.as_array().push_back(Json::String(sco_ids[i]));
    }
    od.Set("object_refs", std::move(refs));
    for (const std::string& l : row.labels) AddToList(&od, "labels", l);
    if (row.confidence >= 0) od.Set("confidence", Json::Int(row.confidence));
    if (!row.references.empty() || !row.external_id.empty()) {
      od.Set("external_references", ExternalReferences(row, def_.source_name));
    }
    mark(&od);
    KeepSourceFields(&od, format_, FieldsJson(row));
    record->Add(od);
    for (size_t i = 0; i < sco_ids.size(); ++i) {
      if (is_sco[i]) continue;
      Json rel = NewRelationship(observed_id, "related-to", sco_ids[i], ts);
      mark(&rel);
      record->Add(rel);
    }
  }
  for (const std::string& name : row.malware) {
    std::string id = MalwareId(name);
    Json m = NewObject("malware", id, now_, now_);
    m.Set("name", Json::String(name));
    m.Set("is_family", Json::Bool(true));
    mark(&m);
    record->Add(m);
    if (!indicator_ids.empty()) {
      for (const std::string& ind : indicator_ids) {
        Json rel = NewRelationship(ind, "indicates", id, ts);
        mark(&rel);
        record->Add(rel);
      }
    } else if (!observed_id.empty()) {
      Json rel = NewRelationship(observed_id, "related-to", id, ts);
      mark(&rel);
      record->Add(rel);
    }
  }
}

void RecordBuilder::BuildFast(const MappedRow& row, std::string_view raw, std::string_view time,
                              Record* record) {
  // Rows with observables STIX models as SDOs (CVE ids) are rare: the
  // reference path builds them.
  for (const MappedObservable& o : row.observables) {
    if (o.observable.kind == Kind::kCve) {
      BuildJson(row, raw, time, record);
      return;
    }
  }
  size_t used = 0;
  // Prelude objects are rare (once per read): through the Json path.
  if (NeedsPrelude(row)) {
    Record prelude;
    AddPrelude(row, &prelude);
    for (stix::StixObject& p : prelude.objects) *NextSlot(record, &used) = std::move(p);
  }
  std::optional<stix::TlpLevel> tlp = row.tlp ? row.tlp : def_.tlp;
  std::string_view marking = tlp ? stix::Tlp2MarkingId(*tlp) : std::string_view();
  if (tlp != marked_tlp_) {
    marked_tlp_ = tlp;
    marking_json_.clear();
    marking_refs_.clear();
    if (!marking.empty()) {
      marking_json_ = ",\"object_marking_refs\":[\"";
      marking_json_.append(marking);
      marking_json_.append("\"]");
      marking_refs_.push_back(std::string(marking));
    }
  }
  // The marking ends every object the fast path writes.
  auto mark = [&](JsonText& j, stix::StixObject* o) {
    if (marking.empty()) return;
    j << std::string_view(marking_json_);
    o->object_marking_refs = marking_refs_;
  };
  // The common members of the SDOs and SROs: type, spec_version, id (the
  // UUIDv5 of name_), created, modified.
  auto open_object = [&](std::string_view type, JsonText& j, stix::StixObject* o) {
    Set(&o->type, type);
    o->id.assign(type).append("--");
    core::UuidV5(normalize::TesseraNamespace(), name_).AppendTo(&o->id);
    Set(&o->spec_version, "2.1");
    o->created.assign(time);
    o->modified.assign(time);
    j << "{\"type\":\"" << type << "\",\"spec_version\":\"2.1\",\"id\":\""
      << std::string_view(o->id) << "\",\"created\":\"" << time << "\",\"modified\":\"" << time
      << '"';
  };
  // Objects the fast path does not write itself go through the Json path.
  auto add_json = [&](const Json& object) {
    Record scratch;
    scratch.Add(object);
    *NextSlot(record, &used) = std::move(scratch.objects.front());
  };
  auto add_relationship = [&](std::string_view source, std::string_view type,
                              std::string_view target) {
    JsonText(&name_) << "relationship|" << source << '|' << type << '|' << target;
    stix::StixObject* o = NextSlot(record, &used);
    JsonText j(&o->json);
    open_object("relationship", j, o);
    j << ",\"relationship_type\":\"" << type << "\",\"source_ref\":\"" << source
      << "\",\"target_ref\":\"" << target << '"';
    mark(j, o);
    j << '}';
  };
  // What indicators and observed-data say of the row after their own members:
  // confidence, external references, the marking.
  auto append_context = [&](JsonText& j, stix::StixObject* o) {
    if (row.confidence >= 0) {
      j.Key("confidence") << std::string_view(std::to_string(row.confidence));
    }
    if (!row.references.empty() || !row.external_id.empty()) {
      j.Key("external_references") << '[';
      for (size_t i = 0; i < row.references.size(); ++i) {
        if (i > 0) j << ',';
        j << "{\"source_name\":";
        j.String(def_.source_name).StringMember("url", row.references[i]);
        if (i == 0 && !row.external_id.empty()) j.StringMember("external_id", row.external_id);
        j << '}';
      }
      if (row.references.empty()) {
        j << "{\"source_name\":";
        j.String(def_.source_name).StringMember("external_id", row.external_id) << '}';
      }
      j << ']';
    }
    mark(j, o);
  };
  auto append_fields = [&](JsonText& j) {
    if (row.fields.empty()) return;
    j.Key("extensions") << "{\"" << kSourceFieldsExtensionId
                        << "\":{\"extension_type\":\"property-extension\",\"source_format\":";
    j.String(format_) << ",\"fields\":{";
    for (size_t i = 0; i < row.fields.size(); ++i) {
      if (i > 0) j << ',';
      j.String(row.fields[i].first) << ':';
      j.String(row.fields[i].second);
    }
    j << "}}}";
  };

  // SCOs.
  sco_ids_.resize(row.observables.size());
  for (size_t i = 0; i < row.observables.size(); ++i) {
    const MappedObservable& m = row.observables[i];
    const normalize::Observable& obs = m.observable;
    const bool simple = !m.certificate && KindIsSimpleValue(obs.kind);
    const bool hash = KindIsHash(obs.kind);
    if (!simple && !hash && obs.kind != Kind::kAsn) {
      Json sco = normalize::ToStixObject(obs);
      if (!marking.empty()) AddMarking(&sco, marking);
      sco_ids_[i] = sco.Find("id")->as_string();
      add_json(sco);
      continue;
    }
    stix::StixObject* o = NextSlot(record, &used);
    std::string_view type;
    core::Uuid uuid;
    if (m.certificate) {
      type = "x509-certificate";
      {
        JsonText name(&name_);
        name << "{\"hashes\":{";
        name.String(HashName(obs.kind)) << ':';
        name.String(obs.value) << "}}";
      }
      uuid = core::UuidV5(stix::ScoNamespace(), name_);
    } else {
      normalize::StixIdParts parts = normalize::StixIdOf(obs);
      type = parts.type;
      uuid = parts.uuid;
    }
    Set(&o->type, type);
    o->id.assign(type).append("--");
    uuid.AppendTo(&o->id);
    Set(&o->spec_version, "2.1");
    o->created.clear();
    o->modified.clear();
    JsonText j(&o->json);
    j << "{\"type\":\"" << type << "\",\"spec_version\":\"2.1\",\"id\":\""
      << std::string_view(o->id) << '"';
    if (simple) {
      j << ",\"value\":";
      j.String(obs.value);
    } else if (hash) {
      j.Key("hashes") << '{';
      j.String(HashName(obs.kind)) << ':';
      j.String(obs.value) << '}';
    } else {  // autonomous-system
      const std::string* number = obs.Field("number");
      j.Key("number") << (number != nullptr ? std::string_view(*number) : std::string_view());
    }
    mark(j, o);
    j << '}';
    sco_ids_[i].assign(o->id);
  }

  // Indicators.
  indicator_ids_.clear();
  if (def_.indicator) {
    for (size_t i = 0; i < row.observables.size(); ++i) {
      const MappedObservable& m = row.observables[i];
      if (!m.indicator) continue;
      const normalize::Observable& obs = m.observable;
      pattern_.clear();
      if (m.certificate) {
        pattern_ = CertificatePattern(obs);
      } else if (KindIsSimpleValue(obs.kind)) {
        pattern_.push_back('[');
        pattern_.append(normalize::StixTypeFor(obs.kind));
        pattern_.append(obs.kind == Kind::kIpv4Network || obs.kind == Kind::kIpv6Network
                            ? ":value ISSUBSET "
                            : ":value = ");
        normalize::AppendPatternLiteral(&pattern_, obs.value);
        pattern_.push_back(']');
      } else {
        pattern_ = normalize::ToStixPattern(obs);
      }
      if (pattern_.empty()) continue;
      stix::StixObject* o = NextSlot(record, &used);
      name_.assign("indicator|stix|").append(pattern_);
      {
        // Done before the relationship's slot is taken (that may move the objects).
        JsonText j(&o->json);
        open_object("indicator", j, o);
        j << ",\"pattern\":";
        j.String(pattern_) << ",\"pattern_type\":\"stix\",\"valid_from\":\"" << time
                           << "\",\"name\":";
        j.String(obs.value);
        if (!row.valid_until.empty()) j.StringMember("valid_until", row.valid_until);
        if (!row.indicator_types.empty()) {
          j.StringArrayMember("indicator_types", row.indicator_types);
        }
        if (!row.labels.empty()) j.StringArrayMember("labels", row.labels);
        if (!row.description.empty()) j.StringMember("description", row.description);
        append_context(j, o);
        if (indicator_ids_.empty()) append_fields(j);
        j << '}';
      }
      std::string& indicator_id = indicator_ids_.AddSlot();
      indicator_id.assign(o->id);
      add_relationship(indicator_id, "based-on", sco_ids_[i]);
    }
  }
  std::string observed_id;
  if (!indicator_ids_.empty()) {
    for (size_t i = 0; i < row.observables.size(); ++i) {
      if (!row.observables[i].indicator)
        add_relationship(indicator_ids_.front(), "related-to", sco_ids_[i]);
    }
  } else {
    name_.assign("observed-data|").append(format_).append("|").append(raw);
    stix::StixObject* o = NextSlot(record, &used);
    JsonText j(&o->json);
    open_object("observed-data", j, o);
    observed_id = o->id;
    std::string_view last = time;
    if (!row.last_seen.empty()) {
      auto a = core::ParseStixTimestamp(time);
      auto b = core::ParseStixTimestamp(row.last_seen);
      if (a.ok() && b.ok() && !(*b < *a)) last = row.last_seen;
    }
    j << ",\"first_observed\":\"" << time << "\",\"last_observed\":\"" << last
      << "\",\"number_observed\":"
      << std::string_view(std::to_string(row.count > 0 ? row.count : 1));
    j.StringArrayMember("object_refs", sco_ids_);
    if (!row.labels.empty()) j.StringArrayMember("labels", row.labels);
    append_context(j, o);
    append_fields(j);
    j << '}';
  }
  for (const std::string& name : row.malware) {
    std::string id = MalwareId(name);
    Json m = NewObject("malware", id, now_, now_);
    m.Set("name", Json::String(name));
    m.Set("is_family", Json::Bool(true));
    if (!marking.empty()) AddMarking(&m, marking);
    add_json(m);
    if (!indicator_ids_.empty()) {
      for (const std::string& ind : indicator_ids_) add_relationship(ind, "indicates", id);
    } else {
      add_relationship(observed_id, "related-to", id);
    }
  }
  record->objects.resize(used);
}

}  // namespace tessera::formats::feeds

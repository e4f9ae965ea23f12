// X-ARF reports in JSON: version 4 (xarf-spec, `xarf_version` 4.x.y) checked
// against the core schema, and version 3 (`Version` "3": the abusix/xarf
// schemas, checked type by type; other 3.x: the xarf-spec legacy form, checked
// for what a report cannot do without).
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "core/json.h"
#include "core/uuid.h"
#include "formats/xarf/readers.h"
#include "normalize/classify.h"

namespace tessera::formats::xarf {
namespace {

using core::Json;
using normalize::Kind;

bool IsString(const Json* v) { return v != nullptr && v->is_string(); }

std::string Join(std::string_view path, std::string_view key) {
  if (path.empty()) return std::string(key);
  std::string out(path);
  out += '.';
  out += key;
  return out;
}

// An integer value in [low, high].
bool IntegerIn(const Json& v, int64_t low, int64_t high, int64_t* out = nullptr) {
  int64_t n = 0;
  if (!v.is_number() || !v.GetInt64(&n) || n < low || n > high) return false;
  if (out != nullptr) *out = n;
  return true;
}

// A strict dotted quad or an IPv6 address, normalized.
std::optional<normalize::Observable> IpAddress(std::string_view text, const ReadContext& context) {
  bool v6 = text.find(':') != std::string_view::npos;
  if (!v6) {
    int dots = 0;
    size_t run = 0;
    for (char c : text) {
      if (c == '.') {
        if (run == 0 || run > 3) return std::nullopt;
        ++dots;
        run = 0;
      } else if (c >= '0' && c <= '9') {
        ++run;
      } else {
        return std::nullopt;
      }
    }
    if (dots != 3 || run == 0 || run > 3) return std::nullopt;
  }
  auto o = normalize::NormalizeAs(v6 ? Kind::kIpv6 : Kind::kIpv4, text, context.normalize);
  if (!o.ok()) return std::nullopt;
  return std::move(*o);
}

// Field checks that report what is wrong with the field's path.
class Checker {
 public:
  Checker(const ReadContext& context, Problems* problems) : context_(context), problems_(*problems) {}

  Problems& problems() { return problems_; }

  const Json* Object(const Json& parent, std::string_view path, std::string_view key, bool required) {
    return Typed(parent, path, key, required, &Json::is_object, "an object");
  }

  const std::string* String(const Json& parent, std::string_view path, std::string_view key,
                            bool required, size_t min_length = 0, size_t max_length = 0) {
    const Json* v = Typed(parent, path, key, required, &Json::is_string, "a string");
    if (v == nullptr) return nullptr;
    if (v->as_string().size() < min_length) {
      problems_.Add(Join(path, key) + (min_length == 1 ? " is empty"
                                                       : " is shorter than " + std::to_string(min_length) +
                                                             " characters"));
      return nullptr;
    }
    if (max_length > 0 && v->as_string().size() > max_length) {
      problems_.Add(Join(path, key) + " is longer than " + std::to_string(max_length) + " characters");
      return nullptr;
    }
    return &v->as_string();
  }

  const std::string* Enum(const Json& parent, std::string_view path, std::string_view key,
                          bool required, std::initializer_list<std::string_view> values) {
    const std::string* s = String(parent, path, key, required);
    if (s == nullptr) return nullptr;
    if (std::find(values.begin(), values.end(), *s) == values.end()) {
      std::string list;
      for (std::string_view v : values) list += (list.empty() ? "" : ", ") + std::string(v);
      problems_.Add(Join(path, key) + " " + Show(Json::String(*s)) + " is not one of " + list);
      return nullptr;
    }
    return s;
  }

  void Boolean(const Json& parent, std::string_view path, std::string_view key, bool required) {
    Typed(parent, path, key, required, &Json::is_bool, "true or false");
  }

  std::optional<int64_t> Integer(const Json& parent, std::string_view path, std::string_view key,
                                 int64_t low, int64_t high) {
    const Json* v = parent.Find(key);
    if (v == nullptr) return std::nullopt;
    int64_t n = 0;
    if (!IntegerIn(*v, low, high, &n)) {
      problems_.Add(Join(path, key) + " must be an integer " +
                    (high == INT64_MAX ? "of at least " + std::to_string(low)
                                       : "from " + std::to_string(low) + " to " + std::to_string(high)) +
                    ", not " + Show(*v));
      return std::nullopt;
    }
    return n;
  }

  // A port, or (`list`) a port or a list of ports.
  void Port(const Json& parent, std::string_view path, std::string_view key, bool list, int64_t low = 0) {
    const Json* v = parent.Find(key);
    if (v == nullptr) return;
    if (list && v->is_array()) {
      for (const Json& p : v->as_array()) {
        if (!IntegerIn(p, low, 65535)) {
          problems_.Add(Join(path, key) + " holds " + Show(p) + ", not a port number");
          return;
        }
      }
      return;
    }
    if (!IntegerIn(*v, low, 65535)) {
      problems_.Add(Join(path, key) + " must be a port number, not " + Show(*v));
    }
  }

  std::optional<std::string> Timestamp(const Json& parent, std::string_view path, std::string_view key,
                                       bool required) {
    const std::string* s = String(parent, path, key, required);
    if (s == nullptr) return std::nullopt;
    auto ts = ReportTimestamp(*s);
    if (!ts) problems_.Add(Join(path, key) + " " + Show(Json::String(*s)) + " is not a date-time");
    return ts;
  }

  std::optional<normalize::Observable> Ip(const Json& parent, std::string_view path, std::string_view key,
                                          bool required) {
    const std::string* s = String(parent, path, key, required);
    if (s == nullptr) return std::nullopt;
    auto o = IpAddress(*s, context_);
    if (!o) problems_.Add(Join(path, key) + " " + Show(Json::String(*s)) + " is not an IPv4 or IPv6 address");
    return o;
  }

  std::optional<normalize::Observable> As(Kind kind, const Json& parent, std::string_view path,
                                          std::string_view key, bool required, std::string_view what) {
    const std::string* s = String(parent, path, key, required);
    if (s == nullptr) return std::nullopt;
    auto o = normalize::NormalizeAs(kind, *s, context_.normalize);
    if (!o.ok()) {
      problems_.Add(Join(path, key) + " " + Show(Json::String(*s)) + " is not " + std::string(what) +
                    ": " + o.error().message);
      return std::nullopt;
    }
    return std::move(*o);
  }

 private:
  // The field when it is there with the type `is` checks; else nullptr, and a
  // problem: missing (when `required`), or not `what` ("a string").
  const Json* Typed(const Json& parent, std::string_view path, std::string_view key, bool required,
                    bool (Json::*is)() const, std::string_view what) {
    const Json* v = parent.Find(key);
    if (v == nullptr) {
      if (required) problems_.Add(Join(path, key) + " is missing");
      return nullptr;
    }
    if (!(v->*is)()) {
      problems_.Add(Join(path, key) + " must be " + std::string(what) + ", not " + Show(*v));
      return nullptr;
    }
    return v;
  }

  const ReadContext& context_;
  Problems& problems_;
};

void SetTimes(Report* report, std::optional<std::string> first, std::optional<std::string> last) {
  report->first_seen = first.value_or(report->reported);
  report->last_seen = last.value_or(report->reported);
  if (report->last_seen < report->first_seen) {
    if (last) {
      report->notes.push_back("last seen " + report->last_seen + " is before first seen " +
                              report->first_seen + "; first seen is used for both");
    } else {
      report->notes.push_back("first seen " + report->first_seen +
                              " is after the report's time; last seen is set to first seen");
    }
    report->last_seen = report->first_seen;
  }
}

// A value of a field that holds observables, normalized as `kind` (or
// classified when nullopt); one that does not normalize is noted and stays in
// the source fields only.
void Observe(Report* report, std::string field, const Json& value, std::optional<Kind> kind,
             const ReadContext& context) {
  if (!value.is_string()) return;
  std::string_view text = value.as_string();
  core::Result<normalize::Observable> o =
      kind ? normalize::NormalizeAs(*kind, text, context.normalize) : normalize::Normalize(text, context.normalize);
  if (!o.ok()) {
    report->notes.push_back(field + " " + Show(value) + " is kept as written: " + o.error().message);
    return;
  }
  if (o->kind == Kind::kCve) {
    report->external_references.push_back(Json::MakeObject(
        {{"source_name", Json::String("cve")}, {"external_id", Json::String(o->value)}}));
    return;
  }
  report->observed.push_back({std::move(field), std::move(*o)});
}

// "sha256:abc..." or a bare hex digest.
void ObserveHash(Report* report, std::string field, const Json& value, const ReadContext& context) {
  if (!value.is_string()) return;
  std::string_view text = value.as_string();
  if (size_t colon = text.find(':'); colon != std::string_view::npos) text = text.substr(colon + 1);
  Observe(report, std::move(field), Json::String(std::string(text)), std::nullopt, context);
}

// --- X-ARF 4 ---

bool TagSyntax(std::string_view tag) {
  size_t colon = tag.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 >= tag.size()) return false;
  auto ok = [](std::string_view part, bool dot) {
    if (!(std::islower(static_cast<unsigned char>(part[0])) || std::isdigit(static_cast<unsigned char>(part[0])))) {
      return false;
    }
    for (char c : part) {
      if (!(std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) ||
            c == '_' || c == '+' || c == '-' || (dot && c == '.'))) {
        return false;
      }
    }
    return true;
  };
  return ok(tag.substr(0, colon), false) && ok(tag.substr(colon + 1), true);
}

std::optional<Party> V4Party(Checker* c, const Json& doc, std::string_view key) {
  const Json* v = c->Object(doc, "", key, true);
  if (v == nullptr) return std::nullopt;
  Party party;
  party.identity_class = "organization";
  for (const auto& [k, value] : v->as_object()) {
    if (k != "org" && k != "contact" && k != "domain") {
      c->problems().Add(std::string(key) + "." + k + " is not a field of a contact (org, contact, domain)");
    }
  }
  if (const std::string* org = c->String(*v, key, "org", true, 1, 200)) party.name = *org;
  if (auto email = c->As(Kind::kEmail, *v, key, "contact", true, "an e-mail address")) party.email = email->value;
  if (auto domain = c->As(Kind::kDomain, *v, key, "domain", true, "a domain name")) party.domain = domain->value;
  return party;
}

}  // namespace

core::Result<Report> MapV4(const Json& doc, const ReadContext& context) {
  Problems problems;
  Checker c(context, &problems);
  Report report;
  if (const std::string* version = c.String(doc, "", "xarf_version", true)) {
    std::string_view v = *version;
    bool ok = v.size() >= 5 && v.substr(0, 2) == "4.";
    size_t dots = 0;
    for (size_t i = 2; ok && i < v.size(); ++i) {
      if (v[i] == '.') {
        ok = v[i - 1] != '.' && i + 1 < v.size();
        ++dots;
      } else {
        ok = v[i] >= '0' && v[i] <= '9';
      }
    }
    if (!ok || dots != 1) problems.Add("xarf_version " + Show(Json::String(*version)) + " is not 4.MINOR.PATCH");
    report.version = *version;
  }
  if (const std::string* id = c.String(doc, "", "report_id", true)) {
    auto uuid = core::ParseUuid(*id);
    if (!uuid.ok()) {
      problems.Add("report_id " + Show(Json::String(*id)) + " is not a UUID");
    } else {
      report.report_uuid = uuid->ToString();
    }
  }
  std::optional<std::string> timestamp = c.Timestamp(doc, "", "timestamp", true);
  std::optional<Party> reporter = V4Party(&c, doc, "reporter");
  std::optional<Party> sender = V4Party(&c, doc, "sender");
  const std::string* source = c.String(doc, "", "source_identifier", true, 1);
  c.Port(doc, "", "source_port", false, 1);
  const std::string* category = c.Enum(doc, "", "category", true,
                                       {"messaging", "content", "copyright", "connection", "vulnerability",
                                        "infrastructure", "reputation"});
  const std::string* type = c.String(doc, "", "type", true, 1);
  std::optional<std::string> first = c.Timestamp(doc, "", "first_seen", false);
  std::optional<std::string> last = c.Timestamp(doc, "", "last_seen", false);
  if (const Json* evidence = doc.Find("evidence")) {
    if (!evidence->is_array()) {
      problems.Add("evidence must be a list, not " + Show(*evidence));
    } else if (evidence->as_array().size() > 50) {
      problems.Add("evidence has more than 50 items");
    } else {
      for (size_t i = 0; i < evidence->as_array().size(); ++i) {
        const Json& item = evidence->as_array()[i];
        std::string path = "evidence[" + std::to_string(i) + "]";
        if (!item.is_object()) {
          problems.Add(path + " must be an object, not " + Show(item));
          continue;
        }
        for (const auto& [k, v] : item.as_object()) {
          if (k != "content_type" && k != "description" && k != "payload" && k != "hash" && k != "size") {
            problems.Add(path + "." + k + " is not a field of an evidence item");
          }
        }
        c.String(item, path, "content_type", true, 1);
        c.String(item, path, "payload", true);
        c.String(item, path, "description", false, 0, 500);
        if (const std::string* hash = c.String(item, path, "hash", false)) {
          size_t colon = hash->find(':');
          std::string alg = hash->substr(0, colon);
          bool ok = colon != std::string::npos && colon + 1 < hash->size() &&
                    (alg == "md5" || alg == "sha1" || alg == "sha256" || alg == "sha512");
          for (size_t k = colon + 1; ok && k < hash->size(); ++k) ok = std::isxdigit(static_cast<unsigned char>((*hash)[k])) != 0;
          if (!ok) problems.Add(path + ".hash " + Show(Json::String(*hash)) + " is not 'md5|sha1|sha256|sha512:hex'");
        }
        c.Integer(item, path, "size", 0, 5242880);
      }
    }
  }
  std::vector<std::string> tags;
  if (const Json* list = doc.Find("tags")) {
    if (!list->is_array()) {
      problems.Add("tags must be a list, not " + Show(*list));
    } else {
      if (list->as_array().size() > 20) problems.Add("tags has more than 20 items");
      for (const Json& t : list->as_array()) {
        if (!t.is_string() || !TagSyntax(t.as_string())) {
          problems.Add("tags holds " + Show(t) + ", not a 'namespace:value' tag");
        } else {
          tags.push_back(t.as_string());
        }
      }
    }
  }
  if (const Json* confidence = doc.Find("confidence")) {
    if (!confidence->is_number() || !(confidence->as_double() >= 0.0 && confidence->as_double() <= 1.0)) {
      problems.Add("confidence must be a number from 0 to 1, not " + Show(*confidence));
    } else {
      report.confidence = static_cast<int>(std::lround(confidence->as_double() * 100));
    }
  }
  if (const std::string* description = c.String(doc, "", "description", false, 0, 1000)) {
    report.description = *description;
  }
  if (const Json* legacy = doc.Find("legacy_version"); legacy != nullptr &&
      !(legacy->is_string() && legacy->as_string() == "3")) {
    problems.Add("legacy_version must be \"3\", not " + Show(*legacy));
  }
  std::optional<normalize::Observable> source_value;
  if (source != nullptr) {
    auto o = normalize::Normalize(*source, context.normalize);
    if (!o.ok()) {
      problems.Add("source_identifier " + Show(Json::String(*source)) + " is not an IP address, domain or URL: " +
                   o.error().message);
    } else if (o->kind == Kind::kCve || o->kind == Kind::kFileName) {
      problems.Add("source_identifier " + Show(Json::String(*source)) + " is not an IP address, domain or URL");
    } else {
      source_value = std::move(*o);
    }
  }
  if (!problems.empty()) return core::MakeError(core::ErrorCode::kValidation, problems.Reason());

  report.reporter = std::move(*reporter);
  report.sender = std::move(*sender);
  report.source = ObservedValue{"source_identifier", std::move(*source_value)};
  report.reported = *timestamp;
  SetTimes(&report, first, last);
  report.labels = {*category, *type};
  for (const std::string& t : tags) {
    report.labels.push_back(t);
    if (auto level = rules::TlpLevelFromText(t); level && t.rfind("tlp:", 0) == 0) report.tlp.push_back(*level);
  }
  report.id_key = "v4|" + report.report_uuid;
  for (const char* key : {"attempt_count", "attempts_count", "count"}) {
    int64_t n = 0;
    if (const Json* v = doc.Find(key); v != nullptr && IntegerIn(*v, 0, INT64_MAX, &n)) {
      report.count = n;
      break;
    }
  }
  // Values observed besides the source, by the fields the v4 types define.
  for (const auto& [key, value] : doc.as_object()) {
    if (key == "url" || key == "infringing_url") {
      Observe(&report, key, value, Kind::kUrl, context);
    } else if (key == "domain") {
      Observe(&report, key, value, Kind::kDomain, context);
    } else if (key == "c2_server") {
      Observe(&report, key, value, std::nullopt, context);
    } else if (key == "smtp_from") {
      Observe(&report, key, value, Kind::kEmail, context);
    } else if (key == "file_hash") {
      if (value.is_object()) {
        for (const auto& [alg, digest] : value.as_object()) ObserveHash(&report, key + "." + alg, digest, context);
      } else {
        ObserveHash(&report, key, value, context);
      }
    } else if (key == "asn" && value.is_number()) {
      Observe(&report, key, Json::String("AS" + value.as_number().literal), Kind::kAsn, context);
    } else if (key == "downstream_links" && value.is_array()) {
      for (const Json& link : value.as_array()) Observe(&report, key, link, Kind::kUrl, context);
    } else if ((key == "vulnerabilities_probed" || key == "cve") ) {
      if (value.is_array()) {
        for (const Json& cve : value.as_array()) Observe(&report, key, cve, Kind::kCve, context);
      } else {
        Observe(&report, key, value, Kind::kCve, context);
      }
    }
  }
  for (const auto& [key, value] : doc.as_object()) {
    if (key == "report_id" || key == "timestamp" || key == "reporter" || key == "sender" ||
        key == "source_identifier" || key == "category" || key == "type" || key == "tags" ||
        key == "confidence" || key == "description" || key == "first_seen" || key == "last_seen") {
      continue;
    }
    if (key == "_internal") {
      report.notes.push_back("_internal is not kept: X-ARF 4 metadata never passed on");
      continue;
    }
    report.fields.Set(key, value);
  }
  return report;
}

// --- X-ARF 3 ---

namespace {

enum Part : unsigned {
  kIpBased = 1u << 0,
  kIpAndUrl = 1u << 1,
  kAccount = 1u << 2,
  kDestination = 1u << 3,
  kTraffic = 1u << 4,
  kCommon = 1u << 5,
  kEmail = 1u << 6,
  kService = 1u << 7,
  kTransport = 1u << 8,
  kCveField = 1u << 9,
  kCvss = 1u << 10,
  kAttacker = 1u << 11,
  kPassword = 1u << 12,
  kHarassment = 1u << 13,
  kFile = 1u << 14,
  kNeedService = 1u << 15,
  kNeedSourceUrl = 1u << 16,
  kMalwareName = 1u << 17,
  kBotnetName = 1u << 18,
  kRpz = 1u << 19,
  kCopyright = 1u << 20,
  kTrademark = 1u << 21,
};

struct V3Type {
  std::string_view report_class;
  std::string_view report_type;
  unsigned parts;
};

// abusix/xarf schemas/3: one row per report type schema.
constexpr V3Type kV3Types[] = {
    {"Activity", "Malware", kIpBased | kRpz},
    {"Activity", "DOS", kIpBased | kDestination | kTraffic | kCommon},
    {"Content", "Malware", kIpAndUrl | kMalwareName | kCommon},
    {"Content", "Phishing", kIpAndUrl | kNeedSourceUrl | kCommon},
    {"Activity", "PortScan", kIpBased | kDestination | kTraffic | kCommon},
    {"Activity", "Spam", kIpBased | kDestination | kCommon | kEmail},
    {"Content", "Copyright", kIpAndUrl | kCopyright | kFile},
    {"Content", "Trademark", kIpAndUrl | kTrademark},
    {"Activity", "LoginAttack", kIpBased | kDestination | kTraffic | kCommon},
    {"Activity", "Exploit", kIpBased | kTransport | kCveField | kCvss | kDestination | kService | kCommon},
    {"Activity", "PotentiallyCompromisedAccount", kAccount | kAttacker | kDestination | kCommon | kPassword},
    {"Content", "ChildAbuse", kIpAndUrl},
    {"Content", "Botnet", kIpAndUrl | kBotnetName | kCommon},
    {"Vulnerability", "OpenService", kIpAndUrl | kTransport | kService | kNeedService | kCommon},
    {"Activity", "WebCrawler", kIpAndUrl | kCommon},
    {"Activity", "Harassment", kIpAndUrl | kHarassment | kCommon},
};

void CheckHash(Checker* c, const Json& parent, std::string_view path, std::string_view key) {
  const Json* hash = c->Object(parent, path, key, false);
  if (hash == nullptr) return;
  std::string p = Join(path, key);
  c->String(*hash, p, "HashValue", true);
  c->Enum(*hash, p, "HashAlgorithm", true,
          {"sha1", "sha2", "sha3", "sha256", "sha512", "md5", "argon2id", "scrypt", "bcrypt", "pbkdf2"});
  c->Boolean(*hash, p, "HashComplete", false);
}

// CVSS vectors (abusix xarf_shared.schema.json, "CVSS"): the base metrics from
// `pos` on in order ("AV:N/AC:L/..."), each value one of the metric's letters;
// temporal and environmental groups are not checked further.
template <size_t N>
bool CvssBaseMetrics(std::string_view v, size_t pos, const std::string_view (&metrics)[N][2]) {
  for (const auto& metric : metrics) {
    std::string prefix = std::string(metric[0]) + ":";
    if (v.compare(pos, prefix.size(), prefix) != 0) return false;
    pos += prefix.size();
    if (pos >= v.size() || metric[1].find(v[pos]) == std::string_view::npos) return false;
    ++pos;
    if (pos < v.size()) {
      if (v[pos] != '/') return false;
      ++pos;
    }
  }
  return true;
}

bool CvssV2Vector(std::string_view v) {
  if (!v.empty() && v.front() == '(') v.remove_prefix(1);
  if (!v.empty() && v.back() == ')') v.remove_suffix(1);
  static constexpr std::string_view kBase[][2] = {{"AV", "LAN"}, {"AC", "HML"}, {"Au", "MSN"},
                                                  {"C", "NPC"},  {"I", "NPC"},  {"A", "NPC"}};
  return CvssBaseMetrics(v, 0, kBase);
}

bool CvssV3Vector(std::string_view v) {
  if (v.substr(0, 9) != "CVSS:3.0/" && v.substr(0, 9) != "CVSS:3.1/") return false;
  static constexpr std::string_view kBase[][2] = {{"AV", "NALP"}, {"AC", "LH"}, {"PR", "NLH"}, {"UI", "NR"},
                                                  {"S", "UC"},    {"C", "NLH"}, {"I", "NLH"},  {"A", "NLH"}};
  return CvssBaseMetrics(v, 9, kBase);
}

bool CveId(std::string_view s) {
  if (s.size() < 13 || s.substr(0, 4) != "CVE-" || s[8] != '-') return false;
  for (size_t i = 4; i < 8; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
  }
  size_t digits = s.size() - 9;
  if (digits < 4 || digits > 7) return false;
  for (size_t i = 9; i < s.size(); ++i) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
  }
  return true;
}

bool UriSyntax(std::string_view s) {
  size_t colon = s.find(':');
  if (colon == std::string_view::npos || colon == 0 || !std::isalpha(static_cast<unsigned char>(s[0]))) {
    return false;
  }
  for (size_t i = 1; i < colon; ++i) {
    char ch = s[i];
    if (!std::isalnum(static_cast<unsigned char>(ch)) && ch != '+' && ch != '-' && ch != '.') return false;
  }
  return s.find_first_of(" \t\r\n") == std::string_view::npos && colon + 1 < s.size();
}

void CheckReporterInfo(Checker* c, const Json& doc, Party* party) {
  const Json* info = c->Object(doc, "", "ReporterInfo", true);
  if (info == nullptr) return;
  static constexpr std::string_view kKnown[] = {"ReporterType",  "ReporterOrg",          "ReporterOrgDomain",
                                                "ReporterOrgEmail", "ReporterOrgAddress", "ReporterContactEmail",
                                                "ReporterContactName", "ReporterContactPhone"};
  for (const auto& [k, v] : info->as_object()) {
    if (std::find(std::begin(kKnown), std::end(kKnown), k) == std::end(kKnown)) {
      c->problems().Add("ReporterInfo." + k + " is not a field of ReporterInfo");
    }
  }
  const std::string* type = c->Enum(*info, "ReporterInfo", "ReporterType", false, {"Org", "Person"});
  bool person = type != nullptr && *type == "Person";
  party->identity_class = person ? "individual" : "organization";
  const std::string* org = c->String(*info, "ReporterInfo", "ReporterOrg", !person, 3);
  auto domain = c->As(Kind::kDomain, *info, "ReporterInfo", "ReporterOrgDomain", !person, "a host name");
  auto org_email = c->As(Kind::kEmail, *info, "ReporterInfo", "ReporterOrgEmail", !person, "an e-mail address");
  c->String(*info, "ReporterInfo", "ReporterOrgAddress", false);
  auto contact_email = c->As(Kind::kEmail, *info, "ReporterInfo", "ReporterContactEmail", false, "an e-mail address");
  const std::string* contact = c->String(*info, "ReporterInfo", "ReporterContactName", false, 3);
  c->String(*info, "ReporterInfo", "ReporterContactPhone", false, 3);
  if (person) {
    party->name = contact != nullptr ? *contact : org != nullptr ? *org : "";
  } else {
    party->name = org != nullptr ? *org : "";
  }
  if (person && contact_email) {
    party->email = contact_email->value;
  } else if (org_email) {
    party->email = org_email->value;
  } else if (contact_email) {
    party->email = contact_email->value;
  }
  if (domain) party->domain = domain->value;
  if (person && party->empty()) {
    c->problems().Add("ReporterInfo names no reporter (no name, e-mail or domain)");
  }
}

void CheckOnBehalfOf(Checker* c, const Json& doc) {
  const Json* who = c->Object(doc, "", "OnBehalfOf", false);
  if (who == nullptr) return;
  const std::string* type = c->Enum(*who, "OnBehalfOf", "ComplainantType", false, {"Org", "Person"});
  bool person = type != nullptr && *type == "Person";
  c->String(*who, "OnBehalfOf", "ComplainantOrg", !person, 3);
  c->As(Kind::kDomain, *who, "OnBehalfOf", "ComplainantOrgDomain", !person, "a host name");
  c->As(Kind::kEmail, *who, "OnBehalfOf", "ComplainantOrgEmail", !person, "an e-mail address");
  c->As(Kind::kEmail, *who, "OnBehalfOf", "ComplainantContactEmail", false, "an e-mail address");
  c->String(*who, "OnBehalfOf", "ComplainantContactName", false, 3);
  c->String(*who, "OnBehalfOf", "ComplainantContactPhone", false, 3);
}

void CheckInternalProcessing(Checker* c, const Json& doc) {
  const Json* ip = c->Object(doc, "", "InternalProcessing", false);
  if (ip == nullptr) return;
  for (const char* section : {"SubscriberInformation", "ContractInformation"}) {
    const Json* s = c->Object(*ip, "InternalProcessing", section, false);
    if (s == nullptr) continue;
    std::string path = std::string("InternalProcessing.") + section;
    c->String(*s, path, "ID", false);
    const char* data = std::string_view(section) == "SubscriberInformation" ? "SubscriberData" : "ResolverData";
    if (const Json* d = c->Object(*s, path, data, false)) {
      for (const auto& [k, v] : d->as_object()) {
        if (!v.is_string()) c->problems().Add(path + "." + data + "." + k + " must be a string, not " + Show(v));
      }
    }
  }
  if (const Json* tags = ip->Find("EventTags")) {
    bool ok = tags->is_array();
    if (ok) {
      for (const Json& t : tags->as_array()) ok = ok && t.is_string();
    }
    if (!ok) c->problems().Add("InternalProcessing.EventTags must be a list of strings");
  }
}

void CheckSamples(Checker* c, const Json& report) {
  const Json* samples = report.Find("Samples");
  if (samples == nullptr) return;
  if (!samples->is_array()) {
    c->problems().Add("Report.Samples must be a list, not " + Show(*samples));
    return;
  }
  if (samples->as_array().empty()) c->problems().Add("Report.Samples is empty");
  for (size_t i = 0; i < samples->as_array().size(); ++i) {
    const Json& s = samples->as_array()[i];
    std::string path = "Report.Samples[" + std::to_string(i) + "]";
    if (!s.is_object()) {
      c->problems().Add(path + " must be an object, not " + Show(s));
      continue;
    }
    // A sample is content (ContentType and Payload) or a file (FileName).
    auto string_or_problem = [&](std::string_view key, bool required) -> std::string {
      const Json* v = s.Find(key);
      if (v == nullptr) return required ? path + "." + std::string(key) + " is missing" : "";
      if (!v->is_string()) return path + "." + std::string(key) + " must be a string, not " + Show(*v);
      return "";
    };
    std::string why;
    for (auto [key, required] : {std::pair<std::string_view, bool>{"ContentType", true}, {"Payload", true},
                                 {"Description", false}}) {
      if (why.empty()) why = string_or_problem(key, required);
    }
    if (const Json* b64 = s.Find("Base64Encoded"); why.empty() && b64 != nullptr && !b64->is_bool()) {
      why = path + ".Base64Encoded must be true or false, not " + Show(*b64);
    }
    if (!why.empty()) {
      const Json* name = s.Find("FileName");
      if (name == nullptr || !name->is_string()) {
        c->problems().Add(why);
      }
    }
  }
}

// The checks of the parts a type schema combines.
void CheckParts(Checker* c, const Json& r, unsigned parts, std::string_view type_name) {
  constexpr std::string_view p = "Report";
  if (parts & kIpBased) c->Ip(r, p, "SourceIp", true);
  if (parts & kIpAndUrl) {
    bool ip = r.Find("SourceIp") != nullptr;
    bool url = r.Find("SourceUrl") != nullptr;
    if (!ip && !url) c->problems().Add("Report needs SourceIp or SourceUrl");
    if (ip) c->Ip(r, p, "SourceIp", false);
    if (url) c->As(Kind::kUrl, r, p, "SourceUrl", false, "a URL");
  }
  if (parts & (kIpBased | kIpAndUrl)) {
    c->Port(r, p, "SourcePort", false);
    c->Integer(r, p, "ASN", 1, 4199999999LL);
  }
  if (parts & kAccount) {
    const Json* account = c->Object(r, p, "Account", true);
    if (account != nullptr) {
      if (account->as_object().empty()) c->problems().Add("Report.Account is empty");
      if (const std::string* id = c->String(*account, "Report.Account", "AccountIdentifier", false)) {
        if (normalize::NormalizeAs(Kind::kEmail, *id).ok()) {
          c->problems().Add("Report.Account.AccountIdentifier is an e-mail address; use AccountEmail");
        }
      }
      c->String(*account, "Report.Account", "AccountEmail", false);
    }
    // An account report names no source: the attacker goes in AttackerIp.
    for (const char* key : {"SourceIp", "SourceUrl"}) {
      if (r.Find(key) != nullptr) {
        c->problems().Add(std::string("Report.") + key + " is not allowed in a " + std::string(type_name) +
                          " report (the attacker goes in AttackerIp)");
      }
    }
  }
  if (parts & kDestination) {
    c->Ip(r, p, "DestinationIp", false);
    c->Port(r, p, "DestinationPort", true);
  }
  if (parts & kAttacker) {
    c->Ip(r, p, "AttackerIp", false);
    c->Port(r, p, "AttackerPort", true);
  }
  if (parts & kTraffic) {
    for (const char* key : {"ByteCount", "PacketCount"}) {
      if (const Json* v = r.Find(key); v != nullptr && !IntegerIn(*v, INT64_MIN, INT64_MAX)) {
        c->problems().Add(std::string("Report.") + key + " must be an integer, not " + Show(*v));
      }
    }
  }
  if (parts & kCommon) {
    c->Boolean(r, p, "Ongoing", false);
    c->String(r, p, "ThreatActor", false);
    CheckSamples(c, r);
  }
  if (parts & kEmail) {
    c->As(Kind::kEmail, r, p, "SmtpMailFromAddress", false, "an e-mail address");
    c->As(Kind::kEmail, r, p, "SmtpRcptToAddress", false, "an e-mail address");
  }
  if (parts & kService) {
    c->String(r, p, "ServiceName", (parts & kNeedService) != 0);
    c->String(r, p, "ServiceVersion", false);
  }
  if (parts & kTransport) c->Enum(r, p, "TransportProtocol", false, {"tcp", "udp"});
  if (parts & kCveField) {
    if (const std::string* cve = c->String(r, p, "CVE", false); cve != nullptr && !CveId(*cve)) {
      c->problems().Add("Report.CVE " + Show(Json::String(*cve)) + " is not CVE-YYYY-NNNN");
    }
  }
  if (parts & kCvss) {
    if (const Json* cvss = c->Object(r, p, "CVSS", false)) {
      const std::string* version = c->Enum(*cvss, "Report.CVSS", "Version", true, {"3.1", "3.0", "2"});
      const std::string* vector = c->String(*cvss, "Report.CVSS", "Vector", true);
      if (const Json* score = cvss->Find("Score"); score != nullptr && !score->is_number()) {
        c->problems().Add("Report.CVSS.Score must be a number, not " + Show(*score));
      }
      bool v2 = version != nullptr && *version == "2";
      if (const std::string* severity = c->String(*cvss, "Report.CVSS", "Severity", false)) {
        static constexpr std::string_view kV2[] = {"Low", "Medium", "High"};
        static constexpr std::string_view kV3[] = {"None", "Low", "Medium", "High", "Critical"};
        bool known = v2 ? std::find(std::begin(kV2), std::end(kV2), *severity) != std::end(kV2)
                        : std::find(std::begin(kV3), std::end(kV3), *severity) != std::end(kV3);
        if (!known) {
          c->problems().Add("Report.CVSS.Severity " + Show(Json::String(*severity)) + " is not a CVSS severity");
        }
      }
      if (version != nullptr && vector != nullptr && !(v2 ? CvssV2Vector(*vector) : CvssV3Vector(*vector))) {
        c->problems().Add("Report.CVSS.Vector " + Show(Json::String(*vector)) + " is not a CVSS " + *version +
                          " vector");
      }
    }
  }
  if (parts & kPassword) CheckHash(c, r, p, "PasswordHash");
  if (parts & kHarassment) {
    c->String(r, p, "Harasser", true);
    c->String(r, p, "HarassmentDescription", true);
    c->Enum(r, p, "HarassmentType", false,
            {"doxing", "stalking", "sexual", "believes", "defamation", "extortion", "hate"});
    c->Enum(r, p, "HarassmentLocation", false, {"website", "chat", "game"});
  }
  if (parts & kFile) {
    c->String(r, p, "FileName", true);
    c->Integer(r, p, "FileSize", 0, INT64_MAX);
    CheckHash(c, r, p, "FileHash");
  }
  if (parts & kNeedSourceUrl) c->String(r, p, "SourceUrl", true);
  if (parts & kMalwareName) c->String(r, p, "MalwareName", false);
  if (parts & kBotnetName) c->String(r, p, "BotnetName", false);
  if (parts & kRpz) {
    c->Enum(r, p, "ReportSubType", false, {"RPZ-Rewrite"});
    c->As(Kind::kDomain, r, p, "RpzDomain", false, "a host name");
    c->String(r, p, "MalwareName", false);
  }
  if (parts & kCopyright) {
    c->String(r, p, "InfringedMaterial", true);
    c->String(r, p, "MaterialType", false);
    c->String(r, p, "SharingProtocol", false);
    if (const std::string* order = c->String(r, p, "CourtOrder", false); order != nullptr && !UriSyntax(*order)) {
      c->problems().Add("Report.CourtOrder " + Show(Json::String(*order)) + " is not a URI");
    }
  }
  if (parts & kTrademark) {
    c->String(r, p, "TrademarkedMaterial", true);
    c->String(r, p, "RegistrationOffice", false);
    c->String(r, p, "RegistrationNumber", false);
  }
}

std::optional<Kind> HashKind(std::string_view algorithm) {
  if (algorithm == "md5") return Kind::kMd5;
  if (algorithm == "sha1") return Kind::kSha1;
  if (algorithm == "sha256") return Kind::kSha256;
  if (algorithm == "sha512") return Kind::kSha512;
  return std::nullopt;
}

}  // namespace

core::Result<Report> MapV3(const Json& doc, const ReadContext& context) {
  Problems problems;
  Checker c(context, &problems);
  Report report;
  const Json* version = doc.Find("Version");
  bool strict = version != nullptr && version->is_string() && version->as_string() == "3";
  if (version == nullptr || !version->is_string() || version->as_string().rfind("3", 0) != 0) {
    problems.Add("Version must be \"3\" (or 3.x), not " + (version ? Show(*version) : std::string("missing")));
  } else {
    report.version = version->as_string();
  }
  CheckReporterInfo(&c, doc, &report.reporter);
  const Json* r = c.Object(doc, "", "Report", true);
  if (strict) {
    c.Boolean(doc, "", "Disclosure", true);
    CheckOnBehalfOf(&c, doc);
    CheckInternalProcessing(&c, doc);
  } else {
    c.Boolean(doc, "", "Disclosure", false);
  }
  std::optional<std::string> date;
  std::optional<std::string> first;
  std::optional<std::string> last;
  const std::string* report_class = nullptr;
  const std::string* report_type = nullptr;
  unsigned parts = 0;
  if (r != nullptr) {
    report_class = strict ? c.Enum(*r, "Report", "ReportClass", true, {"Content", "Activity", "Vulnerability"})
                          : c.String(*r, "Report", "ReportClass", true, 1);
    report_type = c.String(*r, "Report", "ReportType", true, 1);
    date = c.Timestamp(*r, "Report", "Date", true);
    first = c.Timestamp(*r, "Report", "FirstSeen", false);
    c.String(*r, "Report", "ReportSubType", false);
    c.String(*r, "Report", "ReporterCaseID", false);
    c.Enum(*r, "Report", "ReporterSeverity", false, {"low", "medium", "high"});
    c.String(*r, "Report", "ReporterNotes", false);
    if (const Json* custom = c.Object(*r, "Report", "Custom", false)) {
      for (const auto& [k, v] : custom->as_object()) {
        int64_t ignored = 0;
        if (!v.is_string() && !(v.is_number() && v.GetInt64(&ignored))) {
          problems.Add("Report.Custom." + k + " must be a string or an integer, not " + Show(v));
        }
      }
    }
    if (strict && report_class != nullptr && report_type != nullptr) {
      const V3Type* type = nullptr;
      for (const V3Type& t : kV3Types) {
        if (t.report_class == *report_class && t.report_type == *report_type) type = &t;
      }
      if (type == nullptr) {
        problems.Add("Report.ReportType '" + *report_type + "' is not an X-ARF 3 type of class " + *report_class);
      } else {
        parts = type->parts;
        CheckParts(&c, *r, parts, *report_type);
      }
    } else if (!strict) {
      // The xarf-spec legacy form: the source in Report.Source or SourceIp/Url.
      if (const Json* add = c.Object(*r, "Report", "AdditionalInfo", false)) {
        first = first ? first : c.Timestamp(*add, "Report.AdditionalInfo", "FirstSeen", false);
        last = c.Timestamp(*add, "Report.AdditionalInfo", "LastSeen", false);
      }
      if (r->Find("SourceIp") != nullptr) c.Ip(*r, "Report", "SourceIp", false);
      c.Port(*r, "Report", "SourcePort", false, 1);
      c.Port(*r, "Report", "DestinationPort", false, 1);
      if (const Json* count = r->Find("AttackCount"); count != nullptr && !IntegerIn(*count, 1, INT64_MAX)) {
        problems.Add("Report.AttackCount must be a positive integer, not " + Show(*count));
      }
    }
  }
  // The source.
  std::optional<ObservedValue> source;
  if (r != nullptr && problems.empty()) {
    // Kind::kIpv4 stands for "an IP address" here.
    auto from = [&](const char* key, Kind kind) -> std::optional<ObservedValue> {
      const Json* v = r->Find(key);
      if (!IsString(v)) return std::nullopt;
      std::optional<normalize::Observable> o;
      if (kind == Kind::kIpv4) {
        o = IpAddress(v->as_string(), context);
      } else if (auto n = normalize::NormalizeAs(kind, v->as_string(), context.normalize); n.ok()) {
        o = std::move(*n);
      }
      if (!o) return std::nullopt;
      return ObservedValue{std::string("Report.") + key, std::move(*o)};
    };
    if (const Json* legacy = r->Find("Source"); legacy != nullptr && legacy->is_object()) {
      for (const auto& [k, v] : legacy->as_object()) {
        if (k == "Type" || !v.is_string()) continue;
        auto o = normalize::Normalize(v.as_string(), context.normalize);
        if (!o.ok()) {
          problems.Add("Report.Source." + k + " " + Show(v) + " is not an IP address, domain or URL: " +
                       o.error().message);
        } else {
          source = ObservedValue{"Report.Source." + k, std::move(*o)};
        }
        break;
      }
    }
    if (!source) source = from("SourceIp", Kind::kIpv4);
    if (!source) source = from("SourceUrl", Kind::kUrl);
    if (!source) source = from("Url", Kind::kUrl);
    if (!source) source = from("AttackerIp", Kind::kIpv4);
    if (source) {
      // The other of SourceIp/SourceUrl, and AttackerIp, are observed too.
      for (auto [key, kind] : {std::pair<const char*, Kind>{"SourceUrl", Kind::kUrl}, {"Url", Kind::kUrl},
                               {"AttackerIp", Kind::kIpv4}}) {
        if (source->field == std::string("Report.") + key) continue;
        if (auto o = from(key, kind)) report.observed.push_back(std::move(*o));
      }
    } else if (parts & kAccount) {
      // A victim only: the destination is what was observed.
      if (auto o = from("DestinationIp", Kind::kIpv4)) report.observed.push_back(std::move(*o));
    }
    if (!source && report.observed.empty()) {
      problems.Add("Report names no source (SourceIp, SourceUrl, Source or AttackerIp)");
    }
  }
  if (!problems.empty()) return core::MakeError(core::ErrorCode::kValidation, problems.Reason());

  report.source = std::move(source);
  report.reported = *date;
  SetTimes(&report, first, last);
  report.labels = {*report_class, *report_type};
  if (const std::string* sub = IsString(r->Find("ReportSubType")) ? &r->Find("ReportSubType")->as_string() : nullptr) {
    report.labels.push_back(*sub);
  }
  if (const Json* notes = r->Find("ReporterNotes"); IsString(notes)) report.description = notes->as_string();
  if (const Json* description = r->Find("AttackDescription"); IsString(description)) {
    report.description = description->as_string();
  }
  if (const Json* count = r->Find("AttackCount")) {
    int64_t n = 0;
    if (IntegerIn(*count, 1, INT64_MAX, &n)) report.count = n;
  }
  if (const Json* cve = r->Find("CVE")) Observe(&report, "Report.CVE", *cve, Kind::kCve, context);
  if (const Json* asn = r->Find("ASN"); asn != nullptr && asn->is_number()) {
    Observe(&report, "Report.ASN", Json::String("AS" + asn->as_number().literal), Kind::kAsn, context);
  }
  if (const Json* rpz = r->Find("RpzDomain")) Observe(&report, "Report.RpzDomain", *rpz, Kind::kDomain, context);
  if (const Json* from = r->Find("SmtpMailFromAddress")) {
    Observe(&report, "Report.SmtpMailFromAddress", *from, Kind::kEmail, context);
  }
  if (const Json* hash = r->Find("FileHash"); hash != nullptr && hash->is_object()) {
    const Json* alg = hash->Find("HashAlgorithm");
    const Json* value = hash->Find("HashValue");
    if (IsString(alg) && IsString(value)) {
      if (auto kind = HashKind(alg->as_string())) Observe(&report, "Report.FileHash", *value, *kind, context);
    }
  }
  if (const Json* add = r->Find("AdditionalInfo"); add != nullptr && add->is_object()) {
    if (const Json* c2 = add->Find("C2Server")) Observe(&report, "Report.AdditionalInfo.C2Server", *c2, std::nullopt, context);
  }
  // Source fields: everything but what STIX holds (the report's class, type,
  // times and notes).
  std::string canonical = core::CanonicalJson(doc);
  report.id_key = "v3|" + canonical;
  for (const auto& [key, value] : doc.as_object()) {
    if (key != "Report") {
      report.fields.Set(key, value);
      continue;
    }
    Json rest = Json::MakeObject();
    for (const auto& [k, v] : value.as_object()) {
      if (k == "ReportClass" || k == "ReportType" || k == "ReportSubType" || k == "Date" ||
          k == "FirstSeen" || k == "ReporterNotes" || k == "AttackDescription") {
        continue;
      }
      rest.Set(k, v);
    }
    report.fields.Set("Report", std::move(rest));
  }
  return report;
}

}  // namespace tessera::formats::xarf

// X-ARF 0.2 reports: an e-mail (multipart/mixed: a human-readable part, the
// YAML report in a part named report.txt, and an optional evidence part) or the
// YAML report alone.
#include <algorithm>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/json.h"
#include "formats/rules/rule_common.h"
#include "formats/rules/yaml_json.h"
#include "formats/strings.h"
#include "formats/xarf/mime.h"
#include "formats/xarf/readers.h"
#include "normalize/classify.h"
#include "normalize/filename.h"

namespace tessera::formats::xarf {
namespace {

using core::Json;
using normalize::Kind;

// A report part or a bare report: at most this large.
constexpr size_t kMaxReportBytes = size_t{1} << 20;

std::string EncodeBase64(std::string_view data) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((data.size() + 2) / 3 * 4);
  size_t i = 0;
  while (i + 2 < data.size()) {
    uint32_t v = (static_cast<uint8_t>(data[i]) << 16) | (static_cast<uint8_t>(data[i + 1]) << 8) |
                 static_cast<uint8_t>(data[i + 2]);
    out += kAlphabet[v >> 18];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += kAlphabet[v & 63];
    i += 3;
  }
  if (i + 1 == data.size()) {
    uint32_t v = static_cast<uint8_t>(data[i]) << 16;
    out += kAlphabet[v >> 18];
    out += kAlphabet[(v >> 12) & 63];
    out += "==";
  } else if (i + 2 == data.size()) {
    uint32_t v = (static_cast<uint8_t>(data[i]) << 16) | (static_cast<uint8_t>(data[i + 1]) << 8);
    out += kAlphabet[v >> 18];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += '=';
  }
  return out;
}

// A part's content for the source fields: text as text, anything else base64.
Json PartContent(const MimePart& part) {
  Json out = Json::MakeObject();
  out.Set("content_type", Json::String(part.content_type));
  if (const std::string* name = part.Param("name")) out.Set("name", Json::String(*name));
  bool text = part.content_type.rfind("text/", 0) == 0 || part.content_type.rfind("message/", 0) == 0;
  if (text && normalize::detail::IsValidUtf8(part.body)) {
    out.Set("content", Json::String(part.body));
  } else {
    out.Set("content_base64", Json::String(EncodeBase64(part.body)));
  }
  return out;
}

// The members of a YAML mapping by lower-case key.
const Json* Get(const Json& yaml, std::string_view key, std::string* written = nullptr) {
  for (const auto& [k, v] : yaml.as_object()) {
    if (Lower(k) == key) {
      if (written != nullptr) *written = k;
      return &v;
    }
  }
  return nullptr;
}

// A scalar as text (YAML may have typed a port or an id as a number).
std::optional<std::string> Scalar(const Json* v) {
  if (v == nullptr) return std::nullopt;
  if (v->is_string()) return v->as_string();
  if (v->is_number()) return v->as_number().literal;
  return std::nullopt;
}

bool IsReportYaml(const Json& yaml) {
  return yaml.is_object() && (Get(yaml, "reported-from") != nullptr || Get(yaml, "report-type") != nullptr);
}

std::optional<Kind> KindOfSourceType(std::string_view type) {
  std::string t = Lower(type);
  if (t == "ipv4" || t == "ipv6" || t == "ip-address" || t == "ip" || t == "ipaddress") return Kind::kIpv4;
  if (t == "uri" || t == "url") return Kind::kUrl;
  if (t == "domain" || t == "hostname" || t == "fqdn" || t == "domain-name") return Kind::kDomain;
  if (t == "email" || t == "e-mail" || t == "mail" || t == "email-address") return Kind::kEmail;
  return std::nullopt;
}

void Reject(const Input& input, uint64_t line, std::string reason, std::string_view raw, Sink& sink) {
  Rejected rejected;
  rejected.format = kFormat;
  rejected.position.file = input.name();
  rejected.position.line = line;
  rejected.reason = std::move(reason);
  rejected.SetRaw(raw);
  sink.Reject(std::move(rejected));
}

}  // namespace

core::Result<Report> MapV02(const Json& yaml, Json mail_fields, const ReadContext& context) {
  Problems problems;
  Report report;
  // The field named `name` (matched without regard to case).
  auto text = [&](std::string_view name, bool required) -> std::optional<std::string> {
    std::string written;
    const Json* v = Get(yaml, Lower(name), &written);
    if (v == nullptr) {
      if (required) problems.Add(std::string(name) + " is missing");
      return std::nullopt;
    }
    auto s = Scalar(v);
    if (!s || Trim(*s).empty()) {
      problems.Add(written + " must be a non-empty scalar, not " + Show(*v));
      return std::nullopt;
    }
    return std::string(Trim(*s));
  };
  std::optional<std::string> from = text("Reported-From", true);
  std::optional<std::string> category = text("Category", true);
  std::optional<std::string> type = text("Report-Type", true);
  std::optional<std::string> source = text("Source", true);
  std::optional<std::string> source_type = text("Source-Type", true);
  std::optional<std::string> date = text("Date", true);
  std::optional<normalize::Observable> reporter_email;
  if (from) {
    auto e = normalize::NormalizeAs(Kind::kEmail, *from, context.normalize);
    if (!e.ok()) {
      problems.Add("Reported-From " + Show(Json::String(*from)) + " is not an e-mail address: " + e.error().message);
    } else {
      reporter_email = std::move(*e);
    }
  }
  std::optional<std::string> reported;
  if (date) {
    reported = ReportTimestamp(*date);
    if (!reported) problems.Add("Date " + Show(Json::String(*date)) + " is not a date (RFC 5322 or ISO 8601)");
  }
  std::optional<normalize::Observable> source_value;
  if (source && source_type) {
    std::optional<Kind> kind = KindOfSourceType(*source_type);
    core::Result<normalize::Observable> o = normalize::Normalize(*source, context.normalize);
    if (kind == Kind::kIpv4) {
      o = normalize::NormalizeAs(source->find(':') != std::string::npos ? Kind::kIpv6 : Kind::kIpv4, *source,
                                 context.normalize);
    } else if (kind) {
      o = normalize::NormalizeAs(*kind, *source, context.normalize);
    } else {
      report.notes.push_back("Source-Type '" + *source_type + "' is not one X-ARF defines; the source was classified");
    }
    if (!o.ok()) {
      problems.Add("Source " + Show(Json::String(*source)) + " is not a " + *source_type + ": " + o.error().message);
    } else {
      source_value = std::move(*o);
    }
  }
  std::optional<int64_t> count;
  for (const char* key : {"count", "occurrences"}) {
    if (const Json* v = Get(yaml, key)) {
      int64_t n = 0;
      if (v->is_number() && v->GetInt64(&n) && n >= 0) {
        count = n;
      } else {
        problems.Add(std::string(key == std::string_view("count") ? "Count" : "Occurrences") +
                     " must be a whole number, not " + Show(*v));
      }
      break;
    }
  }
  std::optional<stix::TlpLevel> tlp;
  if (auto t = text("TLP", false)) {
    tlp = rules::TlpLevelFromText(*t);
    if (!tlp) problems.Add("TLP " + Show(Json::String(*t)) + " is not a TLP level");
  }
  if (!problems.empty()) return core::MakeError(core::ErrorCode::kValidation, problems.Reason());
  report.reporter.name = reporter_email->value;
  report.reporter.email = reporter_email->value;
  if (const std::string* domain = reporter_email->Field("domain")) report.reporter.domain = *domain;
  report.source = ObservedValue{"Source", std::move(*source_value)};
  report.reported = *reported;
  report.first_seen = *reported;
  report.last_seen = *reported;
  report.count = count;
  report.labels = {*category, *type};
  if (tlp) report.tlp.push_back(*tlp);
  if (auto version = text("Version", false)) report.version = *version;
  std::optional<std::string> report_id = text("Report-ID", false);
  report.id_key = report_id ? "v0.2|" + *report_id : "v0.2|" + core::CanonicalJson(yaml);
  for (const auto& [key, value] : yaml.as_object()) {
    std::string k = Lower(key);
    if (k == "reported-from" || k == "category" || k == "report-type" || k == "source" || k == "date") continue;
    report.fields.Set(key, value);
  }
  if (mail_fields.is_object() && !mail_fields.as_object().empty()) {
    report.fields.Set("mail", std::move(mail_fields));
  }
  return report;
}

core::Status ReadMail(std::string_view text, const Input& input, const ReadContext& context,
                      Sink& sink) {
  rules::MarkingTracker markings;
  std::string_view yaml_text = text;
  uint64_t yaml_line = 1;
  Json mail = Json::MakeObject();
  std::vector<std::string> notes;
  MimeMessage message;  // outlives yaml_text, a view into one of its parts
  if (LooksLikeMail(text)) {
    message = ParseMime(text);
    for (const std::string& p : message.problems) notes.push_back("e-mail: " + p);
    const MimePart* report_part = nullptr;
    std::optional<Json> report_yaml;
    for (const MimePart& part : message.parts) {
      const std::string* name = part.Param("name");
      const std::string* disposition = part.Header("Content-Disposition");
      bool named =
          (name != nullptr && Lower(*name) == "report.txt") ||
          (disposition != nullptr && Lower(*disposition).find("report.txt") != std::string::npos);
      if (named) {
        report_part = &part;
        break;
      }
    }
    if (report_part == nullptr) {
      // No part named report.txt: the first part that holds an X-ARF YAML report.
      for (const MimePart& part : message.parts) {
        if (part.content_type.rfind("text/", 0) != 0 || part.body.size() > kMaxReportBytes) continue;
        auto yaml = ParseYamlDocument(part.body);
        if (yaml.ok() && IsReportYaml(*yaml)) {
          report_part = &part;
          break;
        }
      }
    }
    if (report_part == nullptr) {
      Reject(input, 1, "an e-mail without an X-ARF report part (a text part named report.txt)", text, sink);
      return {};
    }
    yaml_text = report_part->body;
    yaml_line = report_part->line;
    Json headers = Json::MakeObject();
    for (const MimeHeader& h : message.headers) {
      if (Json* existing = headers.Find(h.name)) {
        if (!existing->is_array()) *existing = Json::MakeArray({*existing});
        existing->as_array().push_back(Json::String(h.value));
      } else {
        headers.Set(h.name, Json::String(h.value));
      }
    }
    if (!normalize::detail::IsValidUtf8(core::WriteJson(headers)))
      headers = Json::String("(headers not in UTF-8)");
    mail.Set("headers", std::move(headers));
    Json evidence = Json::MakeArray();
    bool human_seen = false;
    for (const MimePart& part : message.parts) {
      if (&part == report_part) continue;
      if (!human_seen && &part < report_part && part.content_type == "text/plain" &&
          normalize::detail::IsValidUtf8(part.body)) {
        mail.Set("human_readable", Json::String(part.body));
        human_seen = true;
        continue;
      }
      evidence.as_array().push_back(PartContent(part));
    }
    if (!evidence.as_array().empty()) mail.Set("evidence", std::move(evidence));
  }
  if (yaml_text.size() > kMaxReportBytes) {
    Reject(input, yaml_line, "the X-ARF report is larger than 1 MiB", yaml_text, sink);
    return {};
  }
  if (!normalize::detail::IsValidUtf8(yaml_text)) {
    Reject(input, yaml_line, "the X-ARF report is not valid UTF-8", yaml_text, sink);
    return {};
  }
  auto yaml = ParseYamlDocument(yaml_text);
  if (!yaml.ok()) {
    std::string where = yaml.error().location.empty() ? "" : " (report line:column " + yaml.error().location + ")";
    Reject(input, yaml_line, "YAML: " + yaml.error().message + where, yaml_text, sink);
    return {};
  }
  if (!yaml->is_object()) {
    Reject(input, yaml_line, "the X-ARF report is not a YAML mapping of fields", yaml_text, sink);
    return {};
  }
  auto report = MapV02(*yaml, std::move(mail), context);
  if (!report.ok()) {
    Reject(input, yaml_line, report.error().message, text, sink);
    return {};
  }
  for (std::string& n : notes) report->notes.push_back(std::move(n));
  SourcePosition position;
  position.file = input.name();
  position.line = yaml_line;
  sink.Accept(BuildRecord(*report, position, context, &markings));
  return {};
}

}  // namespace tessera::formats::xarf

#include "formats/xarf/xarf.h"

#include <cctype>
#include <string>
#include <string_view>
#include <utility>

#include "core/json.h"
#include "formats/rules/rule_common.h"
#include "formats/xarf/mime.h"
#include "formats/xarf/readers.h"

namespace tessera::formats {
namespace {

using core::Json;

// X-ARF 4 limits evidence to 50 items of 5 MB each, base64: a report is far
// smaller than this in practice.
constexpr size_t kMaxJsonBytes = size_t{256} << 20;

std::string_view SkipBlanks(std::string_view text) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t' || text.front() == '\r' ||
                           text.front() == '\n')) {
    text.remove_prefix(1);
  }
  return text;
}

// A line of the first header/YAML block starts with `key:` (any case).
bool HasLineKey(std::string_view head, std::string_view key) {
  size_t pos = 0;
  while (pos < head.size()) {
    if (head.size() - pos > key.size() && head[pos + key.size()] == ':') {
      bool same = true;
      for (size_t i = 0; i < key.size() && same; ++i) {
        same = std::tolower(static_cast<unsigned char>(head[pos + i])) ==
               std::tolower(static_cast<unsigned char>(key[i]));
      }
      if (same) return true;
    }
    size_t eol = head.find('\n', pos);
    if (eol == std::string_view::npos) break;
    pos = eol + 1;
  }
  return false;
}

Detection DetectXarf(std::string_view head) {
  std::string_view text = SkipBlanks(head);
  if (text.empty()) return {};
  if (text.front() == '{' || text.front() == '[') {
    std::string_view body = text.substr(0, 8192);
    if (body.find("\"xarf_version\"") != std::string_view::npos) {
      return {95, "JSON with X-ARF 4's xarf_version"};
    }
    size_t version = body.find("\"Version\"");
    if (version != std::string_view::npos && body.find("\"ReporterInfo\"") != std::string_view::npos) {
      return {90, "JSON with X-ARF 3's Version and ReporterInfo"};
    }
    if (version != std::string_view::npos) {
      // {"Version": "3", ...}: an X-ARF 3 report, if a bare one.
      std::string_view rest = SkipBlanks(body.substr(version + 9));
      if (!rest.empty() && rest.front() == ':') {
        rest = SkipBlanks(rest.substr(1));
        if (rest.substr(0, 2) == "\"3") return {60, "JSON with an X-ARF 3 Version"};
      }
    }
    return {};
  }
  if (xarf::LooksLikeMail(text) && HasLineKey(text.substr(0, 16384), "X-XARF")) {
    return {95, "an e-mail with an X-XARF header"};
  }
  if (HasLineKey(head, "Reported-From") && HasLineKey(head, "Report-Type")) {
    return {85, "X-ARF 0.2 report fields (Reported-From, Report-Type)"};
  }
  return {};
}

void RejectDocument(const Input& input, uint64_t index, std::string reason, std::string_view raw,
                    Sink& sink) {
  Rejected rejected;
  rejected.format = xarf::kFormat;
  rejected.position.file = input.name();
  rejected.position.record = index;
  rejected.reason = std::move(reason);
  rejected.SetRaw(raw);
  sink.Reject(std::move(rejected));
}

void ReadJsonReport(const Json& document, std::string_view raw, const Input& input, uint64_t index,
                    const ReadContext& context, rules::MarkingTracker* markings, Sink& sink) {
  if (!document.is_object()) {
    RejectDocument(input, index, "an X-ARF report is a JSON object, not " + xarf::Show(document), raw, sink);
    return;
  }
  core::Result<xarf::Report> report =
      document.Find("xarf_version") != nullptr ? xarf::MapV4(document, context)
      : (document.Find("Version") != nullptr || document.Find("ReporterInfo") != nullptr ||
         document.Find("Report") != nullptr)
          ? xarf::MapV3(document, context)
          : core::Result<xarf::Report>(core::MakeError(
                core::ErrorCode::kValidation,
                "not an X-ARF report: no xarf_version (X-ARF 4) nor Version and Report (X-ARF 3)"));
  if (!report.ok()) {
    RejectDocument(input, index, report.error().message, raw, sink);
    return;
  }
  SourcePosition position;
  position.file = input.name();
  position.record = index;
  sink.Accept(xarf::BuildRecord(*report, position, context, markings));
}

core::Status ReadXarf(Input& input, const ReadContext& context, Sink& sink) {
  Format self;
  self.name = "xarf";
  TESSERA_RETURN_IF_ERROR(CheckOptions(context, self));
  std::string_view head = SkipBlanks(input.Peek(4096));
  bool json = !head.empty() && (head.front() == '{' || head.front() == '[');
  auto all = input.ReadAll(kMaxJsonBytes);
  if (!all.ok()) return all.error();
  const std::string& text = *all;
  if (!json) return xarf::ReadMail(text, input, context, sink);
  core::JsonParseLimits limits;
  limits.max_depth = 64;
  auto document = core::ParseJson(text, limits);
  if (!document.ok()) {
    core::Error error = document.error();
    error.message = "not JSON: " + error.message;
    if (error.location.empty()) error.location = input.name();
    return error;
  }
  rules::MarkingTracker markings;
  if (document->is_array()) {
    uint64_t index = 0;
    for (const Json& item : document->as_array()) {
      std::string raw = core::WriteJson(item);
      ReadJsonReport(item, raw, input, index++, context, &markings, sink);
    }
    return {};
  }
  ReadJsonReport(*document, text, input, 0, context, &markings, sink);
  return {};
}

}  // namespace

std::vector<Format> XarfFormats() {
  Format f;
  f.name = "xarf";
  f.description =
      "X-ARF abuse reports: version 4 and 3 JSON, 0.2 e-mail or YAML; a sighting of the source per report";
  f.detect = DetectXarf;
  f.read = ReadXarf;
  return {std::move(f)};
}

}  // namespace tessera::formats

// Sigma rule files: YAML streams of one or more rules (and the rule-collection
// actions global/reset/repeat), read a document at a time so that a broken
// document is rejected with its line while the others are read. Each rule is one
// indicator whose pattern is the rule's YAML.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/json.h"
#include "core/uuid.h"
#include "formats/rules/readers.h"
#include "formats/rules/rule_common.h"
#include "formats/rules/yaml_json.h"
#include "formats/stix_build.h"
#include "formats/strings.h"
#include "normalize/filename.h"

namespace tessera::formats::rules {
namespace {

using core::Json;

constexpr std::string_view kFormat = "sigma";
// Sigma files are small; a larger input is not a rule file.
constexpr size_t kMaxSigmaBytes = size_t{64} << 20;

// Sigma's `level` as STIX confidence (docs/formats/rules.md): how sure the rule's
// author is that a match matters, on 0-100 in even steps.
std::optional<int> ConfidenceFromLevel(std::string_view level) {
  std::string l = Lower(level);
  if (l == "informational") return 10;
  if (l == "low") return 30;
  if (l == "medium") return 50;
  if (l == "high") return 70;
  if (l == "critical") return 90;
  return std::nullopt;
}

// `over` merged into `base`: mappings merge key by key (recursively), anything
// else in `over` replaces what `base` has.
Json Merge(const Json& base, const Json& over) {
  if (!base.is_object() || !over.is_object()) return over;
  Json out = base;
  for (const auto& [key, value] : over.as_object()) {
    if (Json* existing = out.Find(key)) {
      *existing = Merge(*existing, value);
    } else {
      out.Set(key, value);
    }
  }
  return out;
}

const std::string* StringField(const Json& rule, std::string_view key) {
  const Json* v = rule.Find(key);
  return v != nullptr && v->is_string() ? &v->as_string() : nullptr;
}

// A date field as text: YAML may have typed 2021 as a number; Sigma dates are
// strings such as 2021/05/12.
std::optional<std::string> DateField(const Json& rule, std::string_view key) {
  const Json* v = rule.Find(key);
  if (v == nullptr) return std::nullopt;
  if (v->is_string()) return RuleDate(v->as_string());
  return std::nullopt;
}

// Why the document is not a Sigma rule, or nullopt.
std::optional<std::string> CheckRule(const Json& rule) {
  const std::string* title = StringField(rule, "title");
  if (title == nullptr || Trim(*title).empty()) return "rule has no title";
  if (const Json* correlation = rule.Find("correlation")) {
    if (!correlation->is_object()) return "correlation must be a mapping";
    if (StringField(*correlation, "type") == nullptr) return "correlation has no type";
    return std::nullopt;
  }
  if (const Json* filter = rule.Find("filter")) {
    if (!filter->is_object()) return "filter must be a mapping";
    const Json* logsource = rule.Find("logsource");
    if (logsource == nullptr || !logsource->is_object()) return "filter rule has no logsource mapping";
    return std::nullopt;
  }
  const Json* logsource = rule.Find("logsource");
  if (logsource == nullptr) return "rule has no logsource";
  if (!logsource->is_object()) return "logsource must be a mapping";
  const Json* detection = rule.Find("detection");
  if (detection == nullptr) return "rule has no detection";
  if (!detection->is_object()) return "detection must be a mapping";
  const Json* condition = detection->Find("condition");
  if (condition == nullptr) return "detection has no condition";
  if (condition->is_array()) {
    if (condition->as_array().empty()) return "detection condition is empty";
    for (const Json& c : condition->as_array()) {
      if (!c.is_string()) return "detection condition must be a string or a list of strings";
    }
  } else if (!condition->is_string() || Trim(condition->as_string()).empty()) {
    return "detection condition must be a string or a list of strings";
  }
  if (const Json* tags = rule.Find("tags"); tags != nullptr && !tags->is_array()) {
    return "tags must be a list";
  }
  return std::nullopt;
}

std::string_view TrimTrailingLines(std::string_view text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ' ||
                           text.back() == '\t')) {
    text.remove_suffix(1);
  }
  return text;
}

class SigmaReader {
 public:
  SigmaReader(const Input& input, const ReadContext& context, Sink& sink)
      : input_(input), context_(context), sink_(sink) {}

  void Document(const YamlDocumentText& doc, uint64_t offset) {
    uint64_t index = index_++;
    if (!normalize::detail::IsValidUtf8(doc.text)) {
      Reject("the document is not valid UTF-8", doc, offset, index);
      return;
    }
    auto parsed = ParseYamlDocument(doc.text);
    if (!parsed.ok()) {
      std::string where;
      const std::string& loc = parsed.error().location;
      if (size_t colon = loc.find(':'); colon != std::string::npos) {
        uint64_t line = std::stoull(loc.substr(0, colon)) + doc.line - 1;
        where = " (line " + std::to_string(line) + ", column " + loc.substr(colon + 1) + ")";
      }
      Reject("YAML: " + parsed.error().message + where, doc, offset, index);
      return;
    }
    Json rule = std::move(*parsed);
    if (!rule.is_object()) {
      Reject("a Sigma rule is a YAML mapping", doc, offset, index);
      return;
    }
    bool merged = false;
    if (const std::string* action = StringField(rule, "action")) {
      if (*action == "global") {
        rule.Erase("action");
        global_ = Merge(global_, rule);
        return;
      }
      if (*action == "reset") {
        global_ = Json::MakeObject();
        return;
      }
      if (*action == "repeat") {
        if (previous_.is_null()) {
          Reject("action: repeat without a rule before it", doc, offset, index);
          return;
        }
        rule.Erase("action");
        rule = Merge(previous_, rule);
        merged = true;
      } else {
        Reject("unknown action '" + *action + "' (expected global, reset or repeat)", doc, offset,
               index);
        return;
      }
    }
    if (!global_.as_object().empty()) {
      rule = Merge(global_, rule);
      merged = true;
    }
    if (auto why = CheckRule(rule)) {
      Reject(*why, doc, offset, index);
      return;
    }
    previous_ = rule;
    Emit(rule, merged ? WriteYaml(rule) : std::string(TrimTrailingLines(doc.text)), merged, doc,
         offset, index);
  }

  void Reject(const std::string& reason, const YamlDocumentText& doc, uint64_t offset,
              uint64_t index) {
    Rejected rejected;
    rejected.format = kFormat;
    rejected.position = PositionOf(doc, offset, index);
    rejected.reason = reason;
    rejected.SetRaw(doc.text);
    sink_.Reject(std::move(rejected));
  }

 private:
  SourcePosition PositionOf(const YamlDocumentText& doc, uint64_t offset, uint64_t index) const {
    SourcePosition position;
    position.file = input_.name();
    position.line = doc.line;
    position.byte_offset = offset;
    position.record = index;
    return position;
  }

  void Emit(const Json& rule, const std::string& pattern, bool merged, const YamlDocumentText& doc,
            uint64_t offset, uint64_t index) {
    Record record;
    record.format = kFormat;
    record.position = PositionOf(doc, offset, index);

    std::string created = DateField(rule, "date").value_or(context_.now);
    std::optional<std::string> modified = DateField(rule, "modified");
    for (const char* key : {"date", "modified"}) {
      if (rule.Find(key) != nullptr && !DateField(rule, key)) {
        record.notes.push_back(std::string(key) + " is not a date (YYYY/MM/DD or YYYY-MM-DD)");
      }
    }
    Json indicator = NewIndicator(pattern, "sigma", created);
    const std::string* id = StringField(rule, "id");
    if (id != nullptr) {
      auto uuid = core::ParseUuid(*id);
      if (uuid.ok()) {
        indicator.Set("id", Json::String("indicator--" + uuid->ToString()));
      } else {
        record.notes.push_back("id '" + *id + "' is not a UUID; the indicator has a deterministic id");
      }
    }
    if (modified && *modified >= created) {
      indicator.Set("modified", Json::String(*modified));
    } else if (modified) {
      record.notes.push_back("modified is before date; modified = created");
    }
    indicator.Set("name", Json::String(std::string(Trim(*StringField(rule, "title")))));
    if (const std::string* description = StringField(rule, "description")) {
      indicator.Set("description", Json::String(*description));
    }
    if (const Json* tags = rule.Find("tags"); tags != nullptr && tags->is_array()) {
      for (const Json& tag : tags->as_array()) {
        if (!tag.is_string()) continue;
        const std::string& t = tag.as_string();
        AddToList(&indicator, "labels", t);
        if (Lower(t).rfind("tlp.", 0) == 0) {
          if (auto level = TlpLevelFromText(t)) markings_.Mark(&record, &indicator, *level);
          continue;
        }
        ApplyTag(t, &indicator);
      }
    }
    if (const std::string* level = StringField(rule, "level")) {
      if (auto confidence = ConfidenceFromLevel(*level)) {
        indicator.Set("confidence", Json::Int(*confidence));
      }
    }
    if (id != nullptr) {
      Json ref = Json::MakeObject();
      ref.Set("source_name", Json::String("sigma"));
      ref.Set("external_id", Json::String(*id));
      AddExternalReference(&indicator, std::move(ref));
    }
    if (const Json* references = rule.Find("references")) {
      auto add = [&](const Json& r) {
        if (!r.is_string()) return;
        if (auto ref = ReferenceFromText("reference", r.as_string())) {
          AddExternalReference(&indicator, std::move(*ref));
        }
      };
      if (references->is_array()) {
        for (const Json& r : references->as_array()) add(r);
      } else {
        add(*references);
      }
    }
    if (const std::string* author = StringField(rule, "author"); author && !Trim(*author).empty()) {
      Json identity = AuthorIdentity(Trim(*author), context_.now);
      indicator.Set("created_by_ref", *identity.Find("id"));
      record.Add(identity);
    }
    // Everything without a STIX property, as written (the pattern has it all too).
    Json fields = Json::MakeObject();
    for (const auto& [key, value] : rule.as_object()) {
      if (key == "title" || key == "description" || key == "tags" || key == "references" ||
          key == "detection") {
        continue;
      }
      if (key == "author" && value.is_string()) continue;
      fields.Set(key, value);
    }
    if (merged) fields.Set("merged_from_collection", Json::Bool(true));
    KeepSourceFields(&indicator, kFormat, std::move(fields));
    record.Add(indicator);
    sink_.Accept(std::move(record));
  }

  const Input& input_;
  const ReadContext& context_;
  Sink& sink_;
  uint64_t index_ = 0;
  Json global_ = Json::MakeObject();
  Json previous_;
  MarkingTracker markings_;
};

bool HasKeyLine(std::string_view head, std::string_view key) {
  size_t pos = 0;
  while (pos < head.size()) {
    if (head.compare(pos, key.size(), key) == 0 && pos + key.size() < head.size() &&
        head[pos + key.size()] == ':') {
      return true;
    }
    size_t eol = head.find('\n', pos);
    if (eol == std::string_view::npos) break;
    pos = eol + 1;
  }
  return false;
}

}  // namespace

Detection DetectSigma(std::string_view head) {
  if (!HasKeyLine(head, "title")) return {};
  bool logsource = HasKeyLine(head, "logsource");
  bool detection = HasKeyLine(head, "detection");
  if (logsource && detection) {
    return {85, "YAML with Sigma's title, logsource and detection keys"};
  }
  if (HasKeyLine(head, "correlation")) return {80, "YAML with Sigma's title and correlation keys"};
  if (logsource && HasKeyLine(head, "filter")) return {80, "YAML with Sigma's title, logsource and filter keys"};
  if (HasKeyLine(head, "action") && (logsource || detection)) {
    return {70, "a Sigma rule collection (action, logsource or detection keys)"};
  }
  return {};
}

core::Status ReadSigma(Input& input, const ReadContext& context, Sink& sink) {
  auto all = input.ReadAll(kMaxSigmaBytes);
  if (!all.ok()) return all.error();
  const std::string& text = *all;
  SigmaReader reader(input, context, sink);
  for (const YamlDocumentText& doc : SplitYamlDocuments(text)) {
    reader.Document(doc, static_cast<uint64_t>(doc.text.data() - text.data()));
  }
  return {};
}

}  // namespace tessera::formats::rules

#include "formats/jsonfeeds/feed_spec.h"

#include <algorithm>
#include <cctype>
#include <utility>

#include "core/hash.h"
#include "formats/jsonfeeds/feed_time.h"

namespace tessera::formats::jsonfeeds {

using core::Json;

namespace {

struct Found {
  std::string pointer;
  const Json* value;
};

std::string Escape(std::string_view key) {
  std::string out;
  for (char c : key) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

std::vector<std::string_view> Segments(std::string_view path) {
  std::vector<std::string_view> out;
  size_t pos = 0;
  while (pos <= path.size()) {
    size_t next = path.find('/', pos);
    if (next == std::string_view::npos) next = path.size();
    out.push_back(path.substr(pos, next - pos));
    pos = next + 1;
  }
  return out;
}

void Resolve(const Json& node, const std::vector<std::string_view>& segments, size_t index,
             const std::string& pointer, std::vector<Found>* out) {
  if (index == segments.size()) {
    if (node.is_array()) {
      for (size_t i = 0; i < node.as_array().size(); ++i) {
        out->push_back(Found{pointer + "/" + std::to_string(i), &node.as_array()[i]});
      }
    } else {
      out->push_back(Found{pointer, &node});
    }
    return;
  }
  std::string_view segment = segments[index];
  if (segment == "*") {
    if (!node.is_array()) return;
    for (size_t i = 0; i < node.as_array().size(); ++i) {
      Resolve(node.as_array()[i], segments, index + 1, pointer + "/" + std::to_string(i), out);
    }
    return;
  }
  const Json* child = node.Find(segment);
  if (child == nullptr) return;
  Resolve(*child, segments, index + 1, pointer + "/" + Escape(segment), out);
}

// The text of a scalar; false for containers and null.
bool Text(const Json& value, std::string* out) {
  switch (value.type()) {
    case Json::Type::kString: *out = value.as_string(); return true;
    case Json::Type::kNumber: *out = value.as_number().literal; return true;
    case Json::Type::kBool: *out = value.as_bool() ? "true" : "false"; return true;
    default: return false;
  }
}

std::vector<std::string> SplitList(std::string_view text) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t next = text.find(',', pos);
    if (next == std::string_view::npos) next = text.size();
    std::string_view part = normalize::detail::TrimAsciiSpace(text.substr(pos, next - pos));
    if (!part.empty()) out.emplace_back(part);
    pos = next + 1;
  }
  return out;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool ParseInt(const Json& value, int64_t* out) {
  if (value.is_number()) return value.GetInt64(out);
  if (!value.is_string() || value.as_string().empty() || value.as_string().size() > 18) return false;
  int64_t n = 0;
  for (char c : value.as_string()) {
    if (c < '0' || c > '9') return false;
    n = n * 10 + (c - '0');
  }
  *out = n;
  return true;
}

struct Ioc {
  std::string raw, pointer, type;
  bool required = false;
  bool indicate = false;
  bool found = false;
};

void Apply(const FeedSpec& spec, const FieldRule& rule, const Found& found, FeedEvent* event,
           Ioc* ioc) {
  std::string text;
  if (found.value->is_null()) return;
  if (!Text(*found.value, &text)) return;
  bool consume = (rule.flags & kAlsoKeep) == 0;
  auto note = [&](const std::string& what) {
    event->notes.push_back(found.pointer + ": '" + text + "' " + what + "; kept as a source field");
    consume = false;
  };
  if (normalize::detail::TrimAsciiSpace(text).empty()) {
    if (consume) event->consumed.push_back(found.pointer);
    return;
  }
  switch (rule.target) {
    case Target::kObservable: {
      std::vector<std::string> parts;
      if ((rule.flags & kSplit) != 0) {
        parts = SplitList(text);
      } else {
        parts.push_back(text);
      }
      for (std::string& part : parts) {
        EventObservable o;
        o.value_kind = rule.value_kind;
        o.kind = rule.kind;
        o.raw = std::move(part);
        o.pointer = found.pointer;
        o.side = rule.side;
        o.indicate = (rule.flags & kIndicate) != 0;
        o.required = (rule.flags & kRequired) != 0;
        event->observables.push_back(std::move(o));
      }
      return;  // the builder takes out the ones that normalize
    }
    case Target::kIocValue:
      if (!ioc->found) {
        ioc->found = true;
        ioc->raw = text;
        ioc->pointer = found.pointer;
        ioc->required = (rule.flags & kRequired) != 0;
        ioc->indicate = true;
      }
      return;
    case Target::kIocType:
      ioc->type = text;
      break;
    case Target::kMalware:
      event->malware.push_back(text);
      break;
    case Target::kMalwareAlias:
      for (std::string& a : SplitList(text)) event->malware_aliases.push_back(std::move(a));
      break;
    case Target::kMalwareLink:
      event->malware_links.push_back(text);
      break;
    case Target::kFirstSeen:
    case Target::kLastSeen:
    case Target::kValidUntil: {
      auto t = FeedTime(*found.value);
      if (!t.ok()) {
        note(t.error().message);
        break;
      }
      std::string& slot = rule.target == Target::kFirstSeen  ? event->first_seen
                          : rule.target == Target::kLastSeen ? event->last_seen
                                                             : event->valid_until;
      if (slot.empty()) {
        slot = *t;
      } else {
        consume = false;  // a second time for the same slot stays a source field
      }
      break;
    }
    case Target::kConfidence: {
      int64_t n = -1;
      if (ParseInt(*found.value, &n) && n >= 0 && n <= 100) {
        event->confidence = static_cast<int>(n);
      } else {
        note("is not a confidence from 0 to 100");
      }
      break;
    }
    case Target::kConfidenceWord: {
      std::string word = Lower(text);
      // STIX 2.1 Appendix A: the None/Low/Med/High scale.
      if (word == "low") {
        event->confidence = 15;
      } else if (word == "medium" || word == "med") {
        event->confidence = 50;
      } else if (word == "high") {
        event->confidence = 85;
      } else {
        note("is not low, medium or high");
      }
      break;
    }
    case Target::kTags: {
      std::vector<std::string> tags =
          (rule.flags & kSplit) != 0 ? SplitList(text) : std::vector<std::string>{text};
      for (std::string& tag : tags) {
        if (auto level = stix::TlpLevelFromTag(tag)) {
          event->tlp = *level;
        } else {
          event->labels.push_back(std::string(normalize::detail::TrimAsciiSpace(tag)));
        }
      }
      break;
    }
    case Target::kTlp: {
      auto level = stix::TlpLevelFromTag(text);
      if (!level) level = stix::TlpLevelFromTag("tlp:" + text);
      if (level) {
        event->tlp = *level;
      } else {
        note("is not a TLP level");
      }
      break;
    }
    case Target::kDescription:
      if (event->description.empty()) event->description = text;
      break;
    case Target::kId:
      if (event->source_id.empty()) event->source_id = text;
      break;
    case Target::kSelfLink:
      if (event->self_link.empty()) event->self_link = text;
      break;
    case Target::kReference:
      if (text.rfind("http://", 0) == 0 || text.rfind("https://", 0) == 0) {
        event->references.push_back(text);
      } else {
        consume = false;
      }
      break;
    case Target::kClassification: {
      std::string value = text;
      for (const auto& [word, cls] : spec.classifications) {
        if (Lower(word) == Lower(text)) value = std::string(cls);
      }
      event->classification = value;
      break;
    }
    case Target::kSourcePort:
    case Target::kDestinationPort: {
      int64_t n = -1;
      if (ParseInt(*found.value, &n) && n >= 0 && n <= 65535) {
        (rule.target == Target::kSourcePort ? event->source_port : event->destination_port) = n;
      } else {
        note("is not a port number");
      }
      break;
    }
    case Target::kTransport:
      event->transport = Lower(text);
      break;
    case Target::kCount: {
      int64_t n = -1;
      if (ParseInt(*found.value, &n) && n > 0 && n <= 999999999) {
        event->count = n;
      } else {
        consume = false;
      }
      break;
    }
  }
  if (consume) event->consumed.push_back(found.pointer);
}

}  // namespace

bool HasKey(std::string_view head, std::string_view key) {
  std::string quoted = "\"";
  quoted.append(key).append("\"");
  size_t pos = 0;
  while ((pos = head.find(quoted, pos)) != std::string_view::npos) {
    pos += quoted.size();
    size_t after = pos;
    while (after < head.size() && (head[after] == ' ' || head[after] == '\t' ||
                                   head[after] == '\n' || head[after] == '\r')) {
      ++after;
    }
    if (after < head.size() && head[after] == ':') return true;
  }
  return false;
}

bool MapEntry(const FeedSpec& spec, const Json& entry, std::string_view group, FeedEvent* event,
              std::string* reason) {
  if (!entry.is_object()) {
    *reason = "the entry is not a JSON object";
    return false;
  }
  if (const Json* status = entry.Find("query_status");
      status != nullptr && status->is_string() && status->as_string() != "ok") {
    std::string detail;
    if (const Json* data = entry.Find("data"); data != nullptr && data->is_string()) {
      detail = " (" + data->as_string() + ")";
    }
    *reason = "the API answered query_status '" + status->as_string() + "'" + detail;
    return false;
  }
  event->source = &entry;
  Ioc ioc;
  for (const FieldRule& rule : spec.rules) {
    std::vector<Found> found;
    Resolve(entry, Segments(rule.path), 0, "", &found);
    for (const Found& f : found) Apply(spec, rule, f, event, &ioc);
  }
  if (ioc.found) {
    const IocType* type = nullptr;
    for (const IocType& t : spec.ioc_types) {
      if (Lower(t.word) == Lower(ioc.type)) type = &t;
    }
    if (type == nullptr) {
      *reason = ioc.pointer + ": the IOC type '" + ioc.type + "' is not one this reader maps";
      return false;
    }
    EventObservable o;
    o.value_kind = type->value_kind;
    o.kind = type->kind;
    o.raw = ioc.raw;
    o.pointer = ioc.pointer;
    o.indicate = true;
    o.required = true;
    event->observables.insert(event->observables.begin(), std::move(o));
  }
  if (event->classification.empty()) event->classification = std::string(spec.classification);
  if (event->source_id.empty() && !group.empty()) event->source_id = std::string(group);
  if (spec.hook != nullptr) spec.hook(entry, event, &event->consumed);
  return true;
}

core::Status ReadWithSpec(const FeedSpec& spec, Input& input, const ReadContext& context,
                          Sink& sink) {
  ReadState state(spec.name, context, input.name());
  RecordNames names{"an entry", std::string("a ").append(spec.name).append(" feed")};
  return ReadJsonRecords(
      input, spec.shape, names, state, sink, [&](const core::Json& entry, const JsonElement& r) {
        FeedEvent event;
        std::string reason;
        if (!MapEntry(spec, entry, r.group, &event, &reason)) {
          state.Reject(sink, r.offset, r.line, reason, r.bytes);
          return;
        }
        event.record_key = core::HexEncode(core::Sha256(core::CanonicalJson(entry))).substr(0, 32);
        Record record = state.NewRecord(r.offset, r.line);
        if (!BuildEventRecord(event, state, &record, &reason)) {
          state.Reject(sink, record, reason, r.bytes);
          return;
        }
        sink.Accept(std::move(record));
      });
}

}  // namespace tessera::formats::jsonfeeds

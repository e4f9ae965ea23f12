#include "formats/jsonfeeds/jsonfeeds.h"

#include <deque>
#include <functional>
#include <string>
#include <utility>

#include "formats/jsonfeeds/cleanmx.h"
#include "formats/jsonfeeds/feed_spec.h"
#include "formats/jsonfeeds/otx.h"

namespace tessera::formats {
namespace {

using jsonfeeds::FeedSpec;
using jsonfeeds::FieldRule;
using jsonfeeds::Target;
using jsonfeeds::ValueKind;

// JSON starts with '{' or '[' (after a byte order mark and white space).
bool LooksLikeJson(std::string_view head) {
  if (head.substr(0, 3) == "\xEF\xBB\xBF") head.remove_prefix(3);
  size_t i = head.find_first_not_of(" \t\r\n");
  return i != std::string_view::npos && (head[i] == '{' || head[i] == '[');
}

Detection DetectSpec(const FeedSpec& spec, std::string_view head) {
  if (!LooksLikeJson(head)) return {};
  for (const auto& group : spec.detect_keys) {
    bool all = true;
    for (std::string_view key : group) all = all && jsonfeeds::HasKey(head, key);
    if (all) return {spec.detect_score, std::string(spec.detect_reason)};
  }
  return {};
}

// The `jsonfeed` reader's mapping, from its options; owns the strings the
// spec's views point into.
struct GenericSpec {
  std::deque<std::string> strings;
  FeedSpec spec;
  std::string_view Own(std::string s) { return strings.emplace_back(std::move(s)); }
};

struct Role {
  std::string_view name;
  Target target;
  ValueKind value_kind;
};

constexpr Role kRoles[] = {
    {"ip", Target::kObservable, ValueKind::kIp},
    {"network", Target::kObservable, ValueKind::kNetwork},
    {"host", Target::kObservable, ValueKind::kHost},
    {"url-or-host", Target::kObservable, ValueKind::kUrlOrHost},
    {"hash", Target::kObservable, ValueKind::kHash},
    {"ip-port", Target::kObservable, ValueKind::kIpPort},
    {"asn", Target::kObservable, ValueKind::kAsn},
    {"first_seen", Target::kFirstSeen, ValueKind::kFixed},
    {"last_seen", Target::kLastSeen, ValueKind::kFixed},
    {"valid_until", Target::kValidUntil, ValueKind::kFixed},
    {"confidence", Target::kConfidence, ValueKind::kFixed},
    {"confidence_word", Target::kConfidenceWord, ValueKind::kFixed},
    {"tags", Target::kTags, ValueKind::kFixed},
    {"tlp", Target::kTlp, ValueKind::kFixed},
    {"description", Target::kDescription, ValueKind::kFixed},
    {"id", Target::kId, ValueKind::kFixed},
    {"link", Target::kSelfLink, ValueKind::kFixed},
    {"reference", Target::kReference, ValueKind::kFixed},
    {"malware", Target::kMalware, ValueKind::kFixed},
    {"malware_alias", Target::kMalwareAlias, ValueKind::kFixed},
    {"classification", Target::kClassification, ValueKind::kFixed},
    {"src_port", Target::kSourcePort, ValueKind::kFixed},
    {"dst_port", Target::kDestinationPort, ValueKind::kFixed},
    {"transport", Target::kTransport, ValueKind::kFixed},
    {"count", Target::kCount, ValueKind::kFixed},
};

std::vector<std::string_view> SplitOn(std::string_view text, char sep) {
  std::vector<std::string_view> out;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t next = text.find(sep, pos);
    if (next == std::string_view::npos) next = text.size();
    std::string_view part = normalize::detail::TrimAsciiSpace(text.substr(pos, next - pos));
    if (!part.empty()) out.push_back(part);
    pos = next + 1;
  }
  return out;
}

core::Status BuildGeneric(const ReadContext& context, GenericSpec* out) {
  FeedSpec& spec = out->spec;
  spec.name = "jsonfeed";
  spec.classification = "blacklist";
  const std::string* map = context.Option("map");
  if (map == nullptr || map->empty()) {
    return core::MakeError(core::ErrorCode::kInvalidArgument,
                           "the jsonfeed reader needs a mapping: --option map=PATH=ROLE,... "
                           "(docs/formats/jsonfeeds.md lists the roles)");
  }
  for (std::string_view item : SplitOn(*map, ',')) {
    size_t eq = item.rfind('=');
    if (eq == std::string_view::npos || eq == 0 || eq + 1 == item.size()) {
      return core::MakeError(core::ErrorCode::kInvalidArgument,
                             "map item '" + std::string(item) + "' is not PATH=ROLE");
    }
    std::string_view path = item.substr(0, eq);
    std::string_view role = item.substr(eq + 1);
    FieldRule rule;
    rule.path = out->Own(std::string(path));
    if (role.back() == '!') {
      rule.flags |= jsonfeeds::kIndicate;
      role.remove_suffix(1);
    }
    if (role.rfind("destination.", 0) == 0) {
      rule.side = jsonfeeds::Side::kDestination;
      role.remove_prefix(12);
    }
    bool known = false;
    for (const Role& r : kRoles) {
      if (r.name == role) {
        rule.target = r.target;
        rule.value_kind = r.value_kind;
        known = true;
      }
    }
    if (!known) {
      auto kind = normalize::KindFromName(role);
      if (!kind) {
        return core::MakeError(core::ErrorCode::kInvalidArgument,
                               "map item '" + std::string(item) + "': unknown role '" +
                                   std::string(role) + "'");
      }
      rule.target = Target::kObservable;
      rule.value_kind = ValueKind::kFixed;
      rule.kind = *kind;
    }
    spec.rules.push_back(rule);
  }
  if (const std::string* records = context.Option("records")) {
    for (std::string_view member : SplitOn(*records, ',')) {
      spec.shape.array_members.push_back(out->Own(std::string(member)));
    }
  }
  spec.shape.leading_members =
      std::vector<std::string_view>{"query_status", "status", "message", "count", "next", "previous"};
  if (const std::string* cls = context.Option("class")) spec.classification = out->Own(*cls);
  return {};
}

// A format that takes no options: `read` runs once CheckOptions passes.
Format OptionlessFormat(std::string_view name, std::string_view description,
                        std::function<Detection(std::string_view head)> detect,
                        core::Status (*read)(Input&, const ReadContext&, Sink&)) {
  Format f;
  f.name = std::string(name);
  f.description = std::string(description);
  f.detect = std::move(detect);
  f.read = [name, read](Input& input, const ReadContext& context, Sink& sink) -> core::Status {
    TESSERA_RETURN_IF_ERROR(CheckOptions(context, name, {}));
    return read(input, context, sink);
  };
  return f;
}

}  // namespace

std::vector<Format> JsonFeedFormats() {
  std::vector<Format> formats;
  for (const FeedSpec& spec : jsonfeeds::FeedSpecs()) {
    Format f;
    f.name = std::string(spec.name);
    f.description = std::string(spec.description);
    const FeedSpec* s = &spec;
    f.detect = [s](std::string_view head) { return DetectSpec(*s, head); };
    f.read = [s](Input& input, const ReadContext& context, Sink& sink) -> core::Status {
      TESSERA_RETURN_IF_ERROR(CheckOptions(context, s->name, {}));
      return jsonfeeds::ReadWithSpec(*s, input, context, sink);
    };
    formats.push_back(std::move(f));
  }
  formats.push_back(OptionlessFormat(
      "otx", "AlienVault OTX pulses (a pulse, a list, or an API results page)",
      [](std::string_view head) {
        return LooksLikeJson(head) ? jsonfeeds::DetectOtx(head) : Detection{};
      },
      jsonfeeds::ReadOtx));
  formats.push_back(OptionlessFormat("cleanmx", "CleanMX XML phishing and virus URL feeds",
                                     jsonfeeds::DetectCleanMx, jsonfeeds::ReadCleanMx));
  {
    Format f;
    f.name = "jsonfeed";
    f.description = "any JSON feed, mapped with --option map=PATH=ROLE,... (records=, class=)";
    f.options = {{"map", "PATH=ROLE,...: which field is which observable or property"},
                 {"records", "the member(s) of a wrapper object that hold the record array"},
                 {"class", "IntelMQ classification of the entries (default blacklist: indicators)"}};
    f.read = [](Input& input, const ReadContext& context, Sink& sink) -> core::Status {
      TESSERA_RETURN_IF_ERROR(CheckOptions(context, "jsonfeed", {"map", "records", "class"}));
      GenericSpec generic;
      TESSERA_RETURN_IF_ERROR(BuildGeneric(context, &generic));
      return jsonfeeds::ReadWithSpec(generic.spec, input, context, sink);
    };
    formats.push_back(std::move(f));
  }
  return formats;
}

}  // namespace tessera::formats

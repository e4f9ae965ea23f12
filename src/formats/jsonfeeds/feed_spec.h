// The table that drives the generic JSON-feed reader: for one feed, where its
// records are (FeedShape), which field is which observable or STIX property
// (FieldRule), how its classification and IOC type words translate, how to
// recognize it, and a hook for what a table cannot say. Every field no rule
// consumes is kept as a source field. Constant tables; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/json.h"
#include "formats/jsonfeeds/feed_event.h"
#include "formats/reader.h"

namespace tessera::formats::jsonfeeds {

enum class Target {
  kObservable,       // value_kind/kind/side say which
  kIocValue,         // the entry's IOC, its kind given by the kIocType field
  kIocType,          // looked up in FeedSpec::ioc_types
  kMalware,          // a family name
  kMalwareAlias,     // aliases of the family
  kMalwareLink,      // a page about the family (Malpedia)
  kFirstSeen,
  kLastSeen,
  kValidUntil,
  kConfidence,       // a number 0-100
  kConfidenceWord,   // low / medium / high (STIX 2.1 Appendix A: 15 / 50 / 85)
  kTags,             // labels (TLP tags become markings)
  kTlp,              // "Amber", "green", "TLP:RED"
  kDescription,
  kId,               // the feed's id of the entry
  kSelfLink,         // the feed's page for the entry
  kReference,        // another URL the entry cites
  kClassification,   // looked up in FeedSpec::classifications, else taken as is
  kSourcePort,
  kDestinationPort,
  kTransport,
  kCount,
};

// Rule flags.
inline constexpr uint8_t kIndicate = 1;  // an indicator is made for the observable
inline constexpr uint8_t kRequired = 2;  // the entry is rejected without it
inline constexpr uint8_t kAlsoKeep = 4;  // the field is also kept as a source field
inline constexpr uint8_t kSplit = 8;     // a comma-separated list

struct FieldRule {
  // Member names separated by '/', '*' for every element of an array; a leaf
  // that is an array stands for each of its elements.
  std::string_view path;
  Target target = Target::kObservable;
  ValueKind value_kind = ValueKind::kFixed;
  normalize::Kind kind = normalize::Kind::kDomain;
  Side side = Side::kSource;
  uint8_t flags = 0;
};

// What to do with an IOC type word: a fixed kind, or a kind picked from the text.
struct IocType {
  std::string_view word;
  ValueKind value_kind = ValueKind::kFixed;
  normalize::Kind kind = normalize::Kind::kDomain;
};

// Code for what a table cannot say; runs after the rules, may add to the event
// and mark more fields consumed (JSON pointers).
using FeedHook = void (*)(const core::Json& entry, FeedEvent* event,
                          std::vector<std::string>* consumed);

// Members have defaults, so a spec written with designated initializers names
// only what it sets.
struct FeedSpec {
  std::string_view name{};
  std::string_view description{};
  JsonStreamShape shape = FeedShape();
  std::string_view classification{};  // the default IntelMQ classification.type
  std::vector<FieldRule> rules{};
  std::vector<std::pair<std::string_view, std::string_view>> classifications{};
  std::vector<IocType> ioc_types{};
  // Detection: the head has every key of one of the groups (as "key":).
  std::vector<std::vector<std::string_view>> detect_keys{};
  int detect_score = 0;
  std::string_view detect_reason{};
  FeedHook hook = nullptr;
};

// The feeds the table describes.
const std::vector<FeedSpec>& FeedSpecs();

// Whether `head` has `"key"` followed by a colon.
bool HasKey(std::string_view head, std::string_view key);

// Maps one parsed entry with a spec's rules into an event; `group` is the id
// key of an id-keyed export. False with a reason when the entry cannot be mapped.
bool MapEntry(const FeedSpec& spec, const core::Json& entry, std::string_view group,
              FeedEvent* event, std::string* reason);

// Reads an input with a spec (the generic reader every table feed uses).
core::Status ReadWithSpec(const FeedSpec& spec, Input& input, const ReadContext& context,
                          Sink& sink);

}  // namespace tessera::formats::jsonfeeds

#include "governance/sharing.h"

#include <algorithm>
#include <limits>
#include <optional>
#include <set>

#include "governance/tlp.h"
#include "store/registry.h"

namespace tessera::governance {
namespace {

constexpr store::Micros kMicrosPerDay = int64_t{86'400} * 1'000'000;
constexpr Tlp kHubDefault = Tlp::kAmber;

std::string JoinLabels(const std::set<Tlp>& levels) {
  std::string out;
  for (Tlp tlp : levels) {
    if (!out.empty()) out.append(", ");
    out.append(TlpLabel(tlp));
  }
  return out;
}

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) {
    if (!out.empty()) out.append(", ");
    out.append(item);
  }
  return out;
}

// Rule 1: the object's own TLP, from marking ids and "tlp:" labels.
std::optional<Tlp> ObjectTlp(const SharingInput& input, std::vector<std::string>* notes) {
  std::set<Tlp> found;
  for (const std::string& id : input.marking_refs) {
    if (auto tlp = TlpFromMarkingId(id)) found.insert(*tlp);
  }
  for (const std::string& label : input.labels) {
    if (auto tlp = TlpFromTag(label)) found.insert(*tlp);
  }
  if (found.empty()) return std::nullopt;
  Tlp strictest = *found.rbegin();
  if (found.size() > 1) {
    std::string note = "conflicting TLP markings (";
    note.append(JoinLabels(found)).append("): ").append(TlpLabel(strictest)).append(" applies");
    notes->push_back(std::move(note));
  }
  return strictest;
}

core::Result<std::optional<Tlp>> RequestTlp(const store::SharingRequest& request) {
  if (request.tlp.empty()) return std::optional<Tlp>();
  if (auto tlp = ParseTlp(request.tlp)) return std::optional<Tlp>(*tlp);
  std::string message = "unknown TLP level '";
  message.append(request.tlp).append("' (expected clear, green, amber, amber+strict or red)");
  return core::MakeError(core::ErrorCode::kInvalidArgument, std::move(message));
}

// Rule 2: the level that applies.
core::Result<Tlp> EffectiveTlp(const SharingInput& input, std::vector<std::string>* notes) {
  std::optional<Tlp> object = ObjectTlp(input, notes);
  core::Result<std::optional<Tlp>> requested = RequestTlp(input.request);
  if (!requested.ok()) return requested.error();
  if (object && *requested) {
    if (**requested < *object) {
      std::string note = "the submission asked for ";
      note.append(TlpLabel(**requested))
          .append(" but the object is marked ")
          .append(TlpLabel(*object))
          .append(": ")
          .append(TlpLabel(*object))
          .append(" applies (a submitter may restrict, never loosen)");
      notes->push_back(std::move(note));
    }
    return MostRestrictive(*object, **requested);
  }
  if (object) return *object;
  if (*requested) return **requested;
  if (input.partner != nullptr && !input.partner->default_tlp.empty()) {
    if (auto tlp = ParseTlp(input.partner->default_tlp)) return *tlp;
    std::string message = "partner '";
    message.append(input.partner->name)
        .append("' has an unknown default TLP '")
        .append(input.partner->default_tlp)
        .append("'");
    return core::MakeError(core::ErrorCode::kValidation, std::move(message));
  }
  std::string note = "no TLP marking, requested level or partner default: the hub default ";
  note.append(TlpLabel(kHubDefault)).append(" applies");
  notes->push_back(std::move(note));
  return kHubDefault;
}

void AddKey(std::set<std::string>* keys, std::string_view prefix, const std::string& name) {
  if (name.empty()) return;
  std::string key(prefix);
  key.append(name);
  keys->insert(std::move(key));
}

const std::vector<std::string>& Communities(const SharingInput& input) {
  if (input.request.communities.empty() && input.partner != nullptr) {
    return input.partner->default_communities;
  }
  return input.request.communities;
}

// Rule 3: audience keys for the effective level.
std::vector<std::string> Audience(const SharingInput& input, Tlp tlp,
                                  std::vector<std::string>* notes) {
  if (tlp == Tlp::kClear) return {"*"};
  std::set<std::string> keys;
  AddKey(&keys, "p:", input.contributor);
  for (const std::string& recipient : input.request.recipients) AddKey(&keys, "p:", recipient);
  if (tlp != Tlp::kRed) {
    for (const std::string& community : Communities(input)) AddKey(&keys, "c:", community);
    return {keys.begin(), keys.end()};
  }
  if (!input.request.communities.empty()) {
    std::string note = "communities are ignored for TLP:RED (";
    note.append(Join(input.request.communities)).append("): only named recipients receive it");
    notes->push_back(std::move(note));
  }
  if (input.request.recipients.empty()) {
    std::string note = "TLP:RED with no recipient: only the contributor";
    if (!input.contributor.empty()) note.append(" (").append(input.contributor).append(")");
    note.append(" sees it");
    notes->push_back(std::move(note));
  }
  return {keys.begin(), keys.end()};
}

// received + days, with negative days as 0 and saturation at the largest Micros.
store::Micros AddDays(store::Micros received, int64_t days) {
  constexpr store::Micros kMax = std::numeric_limits<store::Micros>::max();
  days = std::max<int64_t>(days, 0);
  if (days > kMax / kMicrosPerDay) return kMax;
  store::Micros span = days * kMicrosPerDay;
  if (received > 0 && span > kMax - received) return kMax;
  return received + span;
}

// Rule 5: the earliest applicable retention.
std::optional<store::Micros> Expiry(const SharingInput& input) {
  std::optional<store::Micros> expires;
  auto consider = [&](int64_t days) {
    store::Micros at = AddDays(input.received, days);
    if (!expires || at < *expires) expires = at;
  };
  if (input.partner != nullptr && input.partner->retention_days) {
    consider(*input.partner->retention_days);
  }
  for (const auto& [type, days] : input.type_retention) {
    if (type == input.type) consider(days);
  }
  return expires;
}

}  // namespace

core::Result<SharingOutcome> DecideSharing(const SharingInput& input) {
  SharingOutcome outcome;
  core::Result<Tlp> effective = EffectiveTlp(input, &outcome.notes);
  if (!effective.ok()) return effective.error();
  store::SharingDecision& decision = outcome.decision;
  decision.tlp = std::string(TlpName(*effective));
  decision.audience = Audience(input, *effective, &outcome.notes);
  decision.anonymous = input.partner != nullptr && input.partner->anonymous;
  decision.expires = Expiry(input);
  decision.personal_data = false;
  return outcome;
}

}  // namespace tessera::governance

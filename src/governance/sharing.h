// The sharing decision for one submission: which TLP applies, who may read the
// object (audience keys), whether the contributor is shown under a pseudonym,
// and when the object leaves dissemination. Pure function of its input; no
// I/O, thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/result.h"
#include "store/store.h"

namespace tessera::store {
struct PartnerRecord;
}

namespace tessera::governance {

// The rules (docs/GOVERNANCE.md repeats them):
//
// 1. Object TLP: the most restrictive level among the object's marking ids
//    (TlpFromMarkingId; other markings are ignored) and its "tlp:" labels
//    (TlpFromTag). When they name several levels, a note says so:
//    "conflicting TLP markings (TLP:GREEN, TLP:RED): TLP:RED applies".
// 2. Effective TLP: when the object has a TLP or the request names one, the
//    most restrictive of the two: a submitter may restrict, never loosen (a
//    note says when the request was looser than the object's marking). An
//    unparsable request TLP is kInvalidArgument. Otherwise the partner's
//    default_tlp (unparsable: kValidation); otherwise the hub default
//    TLP:AMBER (noted).
// 3. Audience keys (store::SharingDecision), sorted and unique:
//    CLEAR: "*".
//    GREEN, AMBER, AMBER+STRICT: "p:<contributor>", "c:<community>" for each
//      community of the request (or, when it names none, the partner's
//      default_communities), "p:<recipient>" for each recipient.
//    RED: "p:<contributor>" and "p:<recipient>" for each recipient only.
//      Communities named by the request are ignored (noted); with no recipient
//      only the contributor sees it (noted).
//    Empty names are skipped (an empty contributor adds no key).
// 4. anonymous: the partner is registered and anonymous.
// 5. expires: the earliest of received + the partner's retention_days and
//    received + the object type's retention days (negative days count as 0;
//    the sum saturates at the largest Micros); none when neither applies.
// 6. personal_data stays false: the submitter's own statement is set elsewhere.
struct SharingInput {
  std::vector<std::string> marking_refs;  // the object's object_marking_refs
  std::vector<std::string> labels;        // labels, e.g. MISP tags such as "tlp:amber"
  store::SharingRequest request;          // what the submitter asked
  std::string contributor;                // the contributing partner's name
  const store::PartnerRecord* partner = nullptr;  // borrowed; null: unregistered partner
  store::Micros received = 0;
  std::vector<std::pair<std::string, int64_t>> type_retention;  // object type -> days
  std::string type;                                             // the object's type
};

struct SharingOutcome {
  store::SharingDecision decision;
  std::vector<std::string> notes;  // sentences for the operator, in rule order
};

// Applies the rules above. Errors: kInvalidArgument for an unknown request TLP,
// kValidation for an unknown partner default TLP.
[[nodiscard]] core::Result<SharingOutcome> DecideSharing(const SharingInput& input);

}  // namespace tessera::governance

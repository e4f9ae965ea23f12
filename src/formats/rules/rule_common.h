// What the rule readers (YARA, Snort/Suricata, Sigma) share: reading the dates
// rule authors write, the author as an identity, ATT&CK and CVE tags as kill chain
// phases and external references, references as external references, and the
// TLP marking-definitions a read has already emitted. Stateless functions except
// MarkingTracker (one per read; not synchronized).
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>

#include "core/json.h"
#include "formats/reader.h"
#include "stix/tlp.h"

namespace tessera::formats::rules {

// A date as rule metadata writes it ("2021-05-12", "2021/05/12", "2021_05_12",
// "12.05.2021", "2021-05", or an RFC 3339 timestamp) as a STIX timestamp with
// milliseconds ("2021-05-12T00:00:00.000Z"); nullopt when it is not a real date.
std::optional<std::string> RuleDate(std::string_view text);

// The identity of a rule's author as written (one identity per distinct string):
// id DeterministicId("identity", "rule-author|" + name), created = `timestamp`.
core::Json AuthorIdentity(std::string_view name, std::string_view timestamp);

// Appends an external reference unless an equal one is there.
void AddExternalReference(core::Json* object, core::Json reference);

// A reference as rule metadata gives it: {"source_name": source_name, "url": text}
// for an http(s) URL (a bare "www.x/y" gets http://), else {"source_name",
// "description": text}. nullopt for empty text.
std::optional<core::Json> ReferenceFromText(std::string_view source_name, std::string_view text);

// An ATT&CK id (T1059, T1059.001, TA0002, G0016, S0002, C0010, M1036) as an
// external reference {"source_name": "mitre-attack", "external_id", "url"};
// nullopt for anything else.
std::optional<core::Json> AttackReference(std::string_view id);

// "initial_access", "Initial_Access", "initial-access", "Initial Access" ->
// "initial-access" for the enterprise, mobile and ICS tactics; nullopt otherwise.
std::optional<std::string> AttackTacticPhase(std::string_view name);

// Adds what a Sigma-style tag says to `object`: "attack.t1059.001" (and groups,
// software, campaigns) an external reference, "attack.execution" a kill chain
// phase, "cve.2021-44228" a cve external reference. Returns whether it was one.
bool ApplyTag(std::string_view tag, core::Json* object);

// Adds a kill chain phase {"kill_chain_name": "mitre-attack", "phase_name"} once.
void AddKillChainPhase(core::Json* object, std::string_view phase);

// Which TLP marking-definitions a read has put in a record: the first record that
// uses a level gets the definition object.
class MarkingTracker {
 public:
  // Marks `object` with the level and, the first time, adds the definition to
  // `record` (before the objects added after this call).
  void Mark(Record* record, core::Json* object, stix::TlpLevel level);

 private:
  std::array<bool, 5> emitted_{};
};

// "tlp:amber", "TLP:RED", "tlp.green", "amber", "WHITE": the level; nullopt
// for anything else.
std::optional<stix::TlpLevel> TlpLevelFromText(std::string_view text);

}  // namespace tessera::formats::rules

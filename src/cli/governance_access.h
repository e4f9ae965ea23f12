// How commands read as someone: --as PARTNER (the operator reading with that
// partner's rights), --token TOKEN (default $TESSERA_TOKEN) or --public (what
// anyone unauthenticated may see); with none, the operator's unrestricted view. Every such read goes through the one
// governance::Policy.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "cli/batch_builder.h"
#include "core/result.h"
#include "governance/audit_log.h"
#include "governance/policy.h"
#include "store/store.h"

namespace CLI {
class App;
}

namespace tessera::cli {

using store::NowMicros;

struct ReaderOptions {
  std::string as;
  std::string token;
  bool public_view = false;  // --public: the unauthenticated view (TLP:CLEAR)
};

void AddReaderOptions(CLI::App* command, ReaderOptions* options);

// The reader the options name. A refused token is kPermissionDenied (and
// audited by the Policy).
core::Result<governance::Reader> ResolveReader(governance::Policy& policy,
                                               const ReaderOptions& options);

// Opens the governance policy over a command's store (prints nothing).
core::Result<std::unique_ptr<governance::Policy>> OpenPolicy(store::Store& store);

// Checks that the communities and recipients a sharing request names are
// registered (kNotFound names the option and the name).
core::Status CheckSharingTargets(governance::Policy& policy, const store::SharingRequest& request);

// The notes of a run's sharing decisions ("conflicting TLP markings ..."),
// each with the number of objects it was said about.
using SharingNotes = std::map<std::string, uint64_t>;

// A decider for `partner`'s submissions through the policy; `personal_data`
// marks every submission as personal data. Notes are counted into `notes`.
SharingDecider MakeSharingDecider(governance::Policy& policy, std::string partner,
                                  bool personal_data, SharingNotes* notes);

// Prints the notes on stderr, "COMMAND: note: N objects: NOTE".
void PrintSharingNotes(const SharingNotes& notes, std::string_view command);

}  // namespace tessera::cli

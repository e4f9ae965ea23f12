#include "cli/governance_access.h"

#include <CLI/CLI.hpp>

#include <cstdlib>
#include <iostream>
#include <utility>


namespace tessera::cli {

void AddReaderOptions(CLI::App* command, ReaderOptions* options) {
  if (const char* token = std::getenv("TESSERA_TOKEN"); token != nullptr) options->token = token;
  auto* as = command->add_option("--as", options->as,
                                 "Read as this registered partner sees the data (its "
                                 "communities, TLP, pseudonyms, redaction)");
  auto* token =
      command
          ->add_option("--token", options->token,
                       "Read with this API token's partner and roles (default: $TESSERA_TOKEN)")
          ->excludes(as);
  command
      ->add_flag("--public", options->public_view,
                 "Read as anyone unauthenticated may: TLP:CLEAR data only")
      ->excludes(as)
      ->excludes(token);
}

core::Result<governance::Reader> ResolveReader(governance::Policy& policy,
                                               const ReaderOptions& options) {
  if (!options.as.empty() && !options.token.empty()) {
    return core::MakeError(core::ErrorCode::kInvalidArgument,
                           "--as and --token (or $TESSERA_TOKEN) exclude each other");
  }
  if (options.public_view) return governance::Policy::Public();
  if (!options.as.empty()) return policy.AsPartner(options.as);
  if (!options.token.empty()) return policy.Authenticate(options.token, NowMicros());
  return governance::Policy::Operator();
}

core::Result<std::unique_ptr<governance::Policy>> OpenPolicy(store::Store& store) {
  return governance::Policy::Open(store);
}

core::Status CheckSharingTargets(governance::Policy& policy, const store::SharingRequest& request) {
  for (const std::string& community : request.communities) {
    auto found = policy.registry().GetCommunity(community);
    if (!found.ok()) return found.error();
    if (!*found) {
      return core::MakeError(core::ErrorCode::kNotFound,
                             "no community named '" + community +
                                 "' (tessera community add NAME)",
                             "--community");
    }
  }
  for (const std::string& recipient : request.recipients) {
    auto found = policy.registry().GetPartner(recipient);
    if (!found.ok()) return found.error();
    if (!*found) {
      return core::MakeError(core::ErrorCode::kNotFound,
                             "no partner named '" + recipient + "' (tessera partner add NAME)",
                             "--recipient");
    }
  }
  return {};
}

SharingDecider MakeSharingDecider(governance::Policy& policy, std::string partner,
                                  bool personal_data, SharingNotes* notes) {
  return [&policy, partner = std::move(partner), personal_data,
          notes](store::Submission* sub) -> core::Status {
    auto outcome = policy.Decide(sub->object, sub->sharing, partner, NowMicros());
    if (!outcome.ok()) return outcome.error();
    sub->decision = std::move(outcome->decision);
    sub->decision.personal_data = personal_data;
    for (std::string& note : outcome->notes) ++(*notes)[std::move(note)];
    return {};
  };
}

void PrintSharingNotes(const SharingNotes& notes, std::string_view command) {
  for (const auto& [note, objects] : notes) {
    std::cerr << command << ": note: " << objects << (objects == 1 ? " object: " : " objects: ")
              << note << '\n';
  }
}

}  // namespace tessera::cli

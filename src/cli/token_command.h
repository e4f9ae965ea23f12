// `tessera token issue|list|revoke`: API tokens for partners. A token's text is
// printed once, when it is issued; the registry keeps only its hash. Also how
// other commands describe a token (state, JSON). `app` and `exit_code` must
// outlive the parse.
#pragma once

#include <string_view>

#include "store/store.h"

namespace CLI {
class App;
}

namespace tessera::core {
class JsonWriter;
}

namespace tessera::store {
struct TokenRecord;
}

namespace tessera::cli {

void RegisterTokenCommand(CLI::App& app, int* exit_code);

// "revoked", "expired" (expires at or before `now`) or "active".
std::string_view TokenStateText(const store::TokenRecord& token, store::Micros now);

// {"id", "partner", "roles", "description", "created", "expires", "revoked",
// "state"}; times as STIX timestamps or null. Never the hash.
void WriteTokenJson(core::JsonWriter* w, const store::TokenRecord& token, store::Micros now);

}  // namespace tessera::cli

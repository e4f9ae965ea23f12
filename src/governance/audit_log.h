// The audit log: an append-only list of who did what, each entry chained to
// the one before by SHA-256 (audit.h), kept in the store's audit_log table.
// Verify walks the whole chain and names the first entry that was modified,
// deleted, inserted or moved.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "governance/audit.h"
#include "store/registry.h"

namespace tessera::governance {

class AuditLog {
 public:
  explicit AuditLog(store::Registry& registry);

  // Appends an entry; `details` is a JSON object ("{}" when empty).
  core::Result<store::AuditRecord> Append(std::string_view actor, std::string_view action,
                                          std::string_view target, std::string details = "{}");
  core::Result<std::vector<store::AuditRecord>> List(const store::AuditFilter& filter);
  // Checks every entry against its hash and its predecessor, and the last one
  // against the recorded head.
  core::Result<ChainReport> Verify();

 private:
  store::Registry& registry_;
};

}  // namespace tessera::governance

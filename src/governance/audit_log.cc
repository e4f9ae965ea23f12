#include "governance/audit_log.h"

#include <cstdlib>
#include <optional>
#include <utility>

#include "store/store.h"

namespace tessera::governance {
AuditLog::AuditLog(store::Registry& registry) : registry_(registry) {}

core::Result<store::AuditRecord> AuditLog::Append(std::string_view actor, std::string_view action,
                                                  std::string_view target, std::string details) {
  store::AuditRecord entry;
  entry.time = store::NowMicros();
  entry.actor = std::string(actor);
  entry.action = std::string(action);
  entry.target = std::string(target);
  entry.details = std::move(details);
  return registry_.AppendAudit(std::move(entry),
                               [](const store::AuditRecord& r) { return AuditHash(r); });
}

core::Result<std::vector<store::AuditRecord>> AuditLog::List(const store::AuditFilter& filter) {
  return registry_.ListAudit(filter);
}

core::Result<ChainReport> AuditLog::Verify() {
  // The head ("seq:hash") is written with every append: a cut-off tail shows.
  auto head = registry_.GetSetting("audit_head");
  if (!head.ok()) return head.error();
  std::optional<std::pair<int64_t, std::string>> expected;
  if (*head) {
    size_t colon = (*head)->find(':');
    if (colon != std::string::npos) {
      expected.emplace(std::strtoll((*head)->substr(0, colon).c_str(), nullptr, 10),
                       (*head)->substr(colon + 1));
    }
  }
  ChainVerifier verifier(expected);
  core::Status scanned = registry_.ScanAudit([&](const store::AuditRecord& r) {
    verifier.Add(r);
    return true;
  });
  if (!scanned.ok()) return scanned.error();
  return verifier.Finish();
}

}  // namespace tessera::governance

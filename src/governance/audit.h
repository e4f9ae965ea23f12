// The audit log's hash chain: what an entry's hash covers (AuditHash) and a
// streaming verifier that walks the log in seq order and names the first place
// it was tampered with. A ChainVerifier belongs to one thread; AuditHash is pure.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>

namespace tessera::store {
struct AuditRecord;
}

namespace tessera::governance {

// Lower-case hex SHA-256 over these netstrings ("<decimal byte length>:<bytes>,"),
// in this order:
//   "tessera-audit-v1", seq (decimal), time (decimal microseconds since the
//   epoch), actor, action, target, details, prev_hash
// The length prefixes make the encoding unambiguous: no two different entries
// serialize alike. The entry's own `hash` is not covered.
std::string AuditHash(const store::AuditRecord& entry);

struct ChainReport {
  bool intact = true;
  uint64_t entries = 0;        // entries seen
  int64_t first_bad_seq = 0;   // where the first problem is; 0 when intact
  std::string reason;          // what was found at which seq; "" when intact
  int64_t head_seq = 0;        // the last entry seen (0: none)
  std::string head_hash;       // its stored hash ("" when none)
};

// Feed every entry in seq order (Registry::ScanAudit order), then Finish.
// first_bad_seq is the seq of the first entry, in the order fed, at which the
// chain breaks (for a truncated tail: the first missing seq). Finds:
// - a modified entry: its stored hash does not match its contents;
// - deleted entries: a gap in seq, or a prev_hash that does not match the
//   previous entry's hash (reported at the entry after the deletion; the reason
//   names the missing seqs);
// - inserted entries: a repeated seq, or a prev_hash mismatch;
// - reordered entries: seq going backwards, or a gap whose missing seq shows up
//   later (the reason then says "out of order" rather than "deleted");
// - a chain not starting at seq 1 with an empty prev_hash;
// - against a head (seq, hash) recorded elsewhere: a truncated tail (the chain
//   does not reach the head's seq), a rewritten history (the entry at that seq
//   has another hash), and, for the head given to Finish, entries appended past
//   it.
// The chain is unkeyed SHA-256: whoever can write the log can also append
// well-formed entries, or rewrite every entry after some point; only a head kept
// elsewhere detects that.
//
// Two ways to give a head:
// - the constructor: a head recorded at any earlier time (a witness). Entries
//   after it are fine; the entry at its seq must carry its hash. Read it before
//   scanning, so entries appended meanwhile do not look like a truncation.
// - Finish: the head recorded with the latest append, i.e. what the last entry
//   must be. Its seq must be the last seq and its hash the last hash; a later
//   entry means something was appended without updating the head.
class ChainVerifier {
 public:
  explicit ChainVerifier(std::optional<std::pair<int64_t, std::string>> expected_head = {});

  void Add(const store::AuditRecord& entry);
  ChainReport Finish(std::optional<std::pair<int64_t, std::string>> latest_head = {});

 private:
  void Fail(int64_t seq, std::string reason);
  void CheckOrder(const store::AuditRecord& entry);
  void CheckContents(const store::AuditRecord& entry);
  void CheckExpectedHead(const store::AuditRecord& entry);
  void CheckLatestHead(const std::pair<int64_t, std::string>& head);

  std::optional<std::pair<int64_t, std::string>> expected_head_;
  bool head_seen_ = false;
  ChainReport report_;
  // A seq gap reported as deletion: [missing_from_, missing_to_]. A missing seq
  // showing up later turns the finding into reordering.
  int64_t missing_from_ = 0;
  int64_t missing_to_ = -1;
  int64_t gap_after_ = 0;  // the entry after the gap
  int64_t gap_prev_ = 0;   // the entry before it (0: none)
  bool refined_ = false;
};

}  // namespace tessera::governance

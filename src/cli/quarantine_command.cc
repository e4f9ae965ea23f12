// `tessera quarantine`: listing, showing, dropping and retrying quarantined
// records. retry reads an entry's bytes again with its format's reader, through
// the same BatchBuilder ingest uses, and stores the result under the entry's
// partner, format and file; the entry is dropped once the objects are stored.
#include "cli/quarantine_command.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <iostream>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "cli/batch_builder.h"
#include "cli/db_command.h"
#include "cli/exit_codes.h"
#include "cli/governance_access.h"
#include "cli/store_access.h"
#include "core/hash.h"
#include "core/json.h"
#include "core/time.h"
#include "formats/input.h"
#include "formats/reader.h"
#include "formats/registry.h"
#include "store/store.h"
#include "warninglists/warninglist.h"

namespace tessera::cli {
namespace {

void Print(const std::string& out) {
  std::fwrite(out.data(), 1, out.size(), stdout);
  std::fflush(stdout);
}

int ReportError(const core::Error& error) {
  std::cerr << "tessera: " << error.ToString() << '\n';
  return ExitCodeFor(error.code);
}

// Well-formed UTF-8 (RFC 3629: no overlong forms, surrogates, or code points
// above U+10FFFF) without control characters other than tab and line ends: bytes
// that can be shown as text.
bool IsShowableText(std::string_view bytes) {
  size_t i = 0;
  while (i < bytes.size()) {
    auto c = static_cast<unsigned char>(bytes[i]);
    if (c < 0x80) {
      if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F) return false;
      ++i;
      continue;
    }
    size_t length = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
    if (length == 0 || c > 0xF4 || i + length > bytes.size()) return false;
    uint32_t code = c & (0xFF >> (length + 1));
    for (size_t k = 1; k < length; ++k) {
      auto next = static_cast<unsigned char>(bytes[i + k]);
      if ((next & 0xC0) != 0x80) return false;
      code = (code << 6) | (next & 0x3F);
    }
    if ((length == 3 && (code < 0x800 || (code >= 0xD800 && code <= 0xDFFF))) ||
        (length == 4 && (code < 0x10000 || code > 0x10FFFF))) {
      return false;
    }
    i += length;
  }
  return true;
}

// At most `max` bytes of one line of text, "..." marking a cut.
std::string OneLine(std::string_view text, size_t max) {
  std::string out;
  for (char c : text) out.push_back(c == '\n' || c == '\r' || c == '\t' ? ' ' : c);
  if (out.size() <= max) return out;
  size_t cut = max - 3;
  while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;
  out.resize(cut);
  out.append("...");
  return out;
}

void WriteEntryJson(const store::QuarantineEntry& e, bool with_raw, core::JsonWriter* w) {
  w->BeginObject().Key("id").Int(e.id).Key("run");
  if (e.run_id == 0) {
    w->Null();
  } else {
    w->Int(e.run_id);
  }
  w->Key("partner").String(e.partner).Key("format").String(e.format);
  w->Key("file").String(e.file).Key("position").String(e.position);
  w->Key("reason").String(e.reason);
  w->Key("received").String(TimeText(e.received));
  w->Key("bytes").Int(static_cast<int64_t>(e.raw.size())).Key("truncated").Bool(e.truncated);
  if (with_raw) {
    if (IsShowableText(e.raw)) {
      w->Key("raw").String(e.raw);
    } else {
      w->Key("raw_base64").String(core::Base64Encode(e.raw));
    }
  }
  w->EndObject();
}

// ---- list ------------------------------------------------------------------------------

struct ListOptions {
  std::string db;
  std::string partner;
  int64_t run = 0;
  int64_t after = 0;
  size_t limit = 100;
  bool json = false;
};

int List(const ListOptions& opt) {
  auto opened = OpenCommandStore(opt.db, /*write=*/false);
  if (!opened.ok()) return ReportStoreOpenError(opened.error());
  store::Store& db = **opened;
  store::QuarantineFilter filter;
  filter.partner = opt.partner;
  filter.run_id = opt.run;
  filter.after_id = opt.after;
  filter.limit = opt.limit;
  auto entries = db.ListQuarantine(filter);
  if (!entries.ok()) return ReportError(entries.error());
  int64_t next = 0;
  if (entries->size() == opt.limit) {
    filter.after_id = entries->back().id;
    filter.limit = 1;
    auto more = db.ListQuarantine(filter);
    if (!more.ok()) return ReportError(more.error());
    if (!more->empty()) next = entries->back().id;
  }
  std::string out;
  if (opt.json) {
    core::JsonWriter w(&out);
    w.BeginObject().Key("entries").BeginArray();
    for (const store::QuarantineEntry& e : *entries) WriteEntryJson(e, false, &w);
    w.EndArray().Key("next");
    if (next == 0) {
      w.Null();
    } else {
      w.Int(next);
    }
    w.EndObject();
    out.push_back('\n');
    Print(out);
    return kExitOk;
  }
  struct Row {
    std::vector<std::string> cells;
  };
  std::vector<Row> rows;
  rows.push_back({{"ID", "RUN", "RECEIVED", "PARTNER", "FORMAT", "WHERE", "REASON"}});
  for (const store::QuarantineEntry& e : *entries) {
    rows.push_back({{std::to_string(e.id), e.run_id == 0 ? "-" : std::to_string(e.run_id),
                     TimeText(e.received), e.partner, e.format, SourcePlace(e.file, e.position),
                     OneLine(e.reason, 100)}});
  }
  std::vector<size_t> widths(rows.front().cells.size(), 0);
  for (const Row& r : rows) {
    for (size_t i = 0; i < r.cells.size(); ++i) widths[i] = std::max(widths[i], r.cells[i].size());
  }
  for (const Row& r : rows) {
    for (size_t i = 0; i < r.cells.size(); ++i) {
      out.append(r.cells[i]);
      if (i + 1 < r.cells.size()) out.append(widths[i] + 2 - r.cells[i].size(), ' ');
    }
    out.push_back('\n');
  }
  Print(out);
  if (next != 0) {
    std::cerr << "tessera: more entries: --after " << next << " for the next page\n";
  }
  return kExitOk;
}

// ---- show ------------------------------------------------------------------------------

struct ShowOptions {
  std::string db;
  int64_t id = 0;
  bool raw = false;
  bool json = false;
};

int Show(const ShowOptions& opt) {
  auto opened = OpenCommandStore(opt.db, /*write=*/false);
  if (!opened.ok()) return ReportStoreOpenError(opened.error());
  auto entry = (*opened)->GetQuarantined(opt.id);
  if (!entry.ok()) return ReportError(entry.error());
  if (!*entry) {
    std::cerr << "tessera: quarantine entry " << opt.id << ": not found\n";
    return kExitInvalidData;
  }
  const store::QuarantineEntry& e = **entry;
  if (opt.raw) {
    std::fwrite(e.raw.data(), 1, e.raw.size(), stdout);
    std::fflush(stdout);
    if (e.truncated) {
      std::cerr << "tessera: quarantine entry " << e.id
                << ": the record was longer; only its first " << e.raw.size()
                << " bytes were kept\n";
    }
    return kExitOk;
  }
  std::string out;
  if (opt.json) {
    core::JsonWriter w(&out);
    WriteEntryJson(e, true, &w);
    out.push_back('\n');
    Print(out);
    return kExitOk;
  }
  out.append("entry     ").append(std::to_string(e.id)).push_back('\n');
  out.append("run       ").append(e.run_id == 0 ? "-" : std::to_string(e.run_id)).push_back('\n');
  out.append("partner   ").append(e.partner).push_back('\n');
  out.append("format    ").append(e.format).push_back('\n');
  out.append("file      ").append(e.file).push_back('\n');
  out.append("position  ").append(SourcePlace(e.file, e.position)).push_back('\n');
  out.append("received  ").append(TimeText(e.received)).push_back('\n');
  out.append("reason    ").append(e.reason).push_back('\n');
  out.append("raw       ").append(std::to_string(e.raw.size())).append(" bytes");
  if (e.truncated) out.append(" (the record was longer: cut at the quarantine limit)");
  out.push_back('\n');
  if (IsShowableText(e.raw)) {
    out.push_back('\n');
    out.append(e.raw);
    if (!e.raw.empty() && e.raw.back() != '\n') out.push_back('\n');
  } else {
    out.append("          (not text: 'tessera quarantine show --raw ")
        .append(std::to_string(e.id))
        .append("' writes the bytes)\n");
  }
  Print(out);
  return kExitOk;
}

// ---- drop ------------------------------------------------------------------------------

struct DropOptions {
  std::string db;
  std::vector<int64_t> ids;
  bool json = false;
};

int Drop(const DropOptions& opt) {
  auto opened = OpenCommandStore(opt.db, /*write=*/false);
  if (!opened.ok()) return ReportStoreOpenError(opened.error());
  std::vector<int64_t> dropped, missing;
  for (int64_t id : opt.ids) {
    auto gone = (*opened)->DropQuarantined(id);
    if (!gone.ok()) return ReportError(gone.error());
    if (*gone) {
      dropped.push_back(id);
    } else {
      missing.push_back(id);
      std::cerr << "tessera: quarantine entry " << id << ": not found\n";
    }
  }
  std::string out;
  if (opt.json) {
    core::JsonWriter w(&out);
    w.BeginObject().Key("dropped").BeginArray();
    for (int64_t id : dropped) w.Int(id);
    w.EndArray().Key("missing").BeginArray();
    for (int64_t id : missing) w.Int(id);
    w.EndArray().EndObject();
    out.push_back('\n');
  } else {
    out.append("dropped ").append(std::to_string(dropped.size()));
    out.append(dropped.size() == 1 ? " entry\n" : " entries\n");
  }
  Print(out);
  return missing.empty() ? kExitOk : kExitInvalidData;
}

// ---- retry -----------------------------------------------------------------------------

struct RetryOptions {
  std::string db;
  std::vector<int64_t> ids;
  bool all = false;
  std::string partner;
  int64_t run = 0;
  std::vector<std::string> reader_options;
  std::string tlp;
  std::vector<std::string> communities;
  std::vector<std::string> recipients;
  bool no_warninglists = false;
  bool json = false;
};

struct RetryResult {
  int64_t id = 0;
  enum class Outcome { kStored, kRejected, kNotFound } outcome = Outcome::kNotFound;
  std::string reason;  // why it is still rejected
  uint64_t objects = 0;
  store::PutStats stats;
};

class Retrier {
 public:
  Retrier(store::Store* db, governance::Policy* policy, const RetryOptions& opt,
          formats::ReadContext context, WarninglistMatcher matcher)
      : db_(db),
        policy_(policy),
        opt_(opt),
        context_(std::move(context)),
        matcher_(std::move(matcher)) {}

  const SharingNotes& notes() const { return notes_; }

  // Reads the entry again; stores and drops it when it now reads. An error is
  // the store's (the caller stops).
  core::Result<RetryResult> Retry(const store::QuarantineEntry& entry) {
    RetryResult result;
    result.id = entry.id;
    result.outcome = RetryResult::Outcome::kRejected;
    const formats::Format* format = formats::FindFormat(entry.format);
    if (format == nullptr) {
      result.reason = "no reader named '" + entry.format + "' in this tessera";
      return result;
    }
    if (entry.truncated) {
      // The bytes are the record's beginning only: what they read as is not the record.
      result.reason = "only the first " + std::to_string(entry.raw.size()) +
                      " bytes of the record were kept; it cannot be read again (re-ingest "
                      "the source)";
      return result;
    }
    store::Source source;
    source.partner = entry.partner;
    source.format = entry.format;
    source.file = entry.file;
    source.run_id = entry.run_id;
    source.received = NowMicros();
    store::SharingRequest sharing;
    sharing.tlp = opt_.tlp;
    sharing.communities = opt_.communities;
    sharing.recipients = opt_.recipients;

    store::Batch batch;
    BatchBuilder builder(source, sharing, matcher_, std::numeric_limits<size_t>::max(),
                         [&batch](store::Batch& read) -> core::Status {
                           batch.source = read.source;
                           batch.objects = std::move(read.objects);
                           batch.rejected = std::move(read.rejected);
                           return {};
                         },
                         MakeSharingDecider(*policy_, entry.partner, false, &notes_));
    formats::Input input = formats::Input::FromString(entry.raw, entry.file);
    core::Status read = format->read(input, context_, builder);
    if (core::Status decided = builder.Finish(); !decided.ok()) return decided.error();
    if (!read.ok()) {
      result.reason = read.error().ToString();
      return result;
    }
    if (!batch.rejected.empty()) {
      for (const store::Rejection& r : batch.rejected) {
        result.reason.append(result.reason.empty() ? "" : "; ").append(r.reason);
      }
      return result;
    }
    if (batch.objects.empty()) {
      result.reason =
          "the reader finds nothing to store in it (drop it with 'tessera quarantine "
          "drop')";
      return result;
    }
    // The objects come from the entry's place in its source, not from line 1 of
    // the bytes read here.
    for (store::Submission& sub : batch.objects) sub.position = entry.position;
    batch.resolves_quarantined = {entry.id};  // stored and dropped in one transaction
    auto stats = db_->Put(batch);
    if (!stats.ok()) return stats.error();
    result.outcome = RetryResult::Outcome::kStored;
    result.objects = batch.objects.size();
    result.stats = *stats;
    return result;
  }

 private:
  store::Store* db_;
  governance::Policy* policy_;
  const RetryOptions& opt_;
  formats::ReadContext context_;
  WarninglistMatcher matcher_;
  SharingNotes notes_;
};

std::string ResultText(const RetryResult& r) {
  std::string line = "entry " + std::to_string(r.id) + ": ";
  switch (r.outcome) {
    case RetryResult::Outcome::kStored:
      line.append("stored ").append(std::to_string(r.objects));
      line.append(r.objects == 1 ? " object (" : " objects (");
      line.append(std::to_string(r.stats.new_objects)).append(" new, ");
      line.append(std::to_string(r.stats.updated)).append(" updated, ");
      line.append(std::to_string(r.stats.duplicates))
          .append(" duplicates); dropped from quarantine");
      break;
    case RetryResult::Outcome::kRejected:
      line.append("still rejected: ").append(r.reason);
      break;
    case RetryResult::Outcome::kNotFound:
      line.append("not found");
      break;
  }
  line.push_back('\n');
  return line;
}

void WriteResultJson(const RetryResult& r, core::JsonWriter* w) {
  w->BeginObject().Key("id").Int(r.id).Key("status");
  switch (r.outcome) {
    case RetryResult::Outcome::kStored:
      w->String("stored").Key("objects").Int(static_cast<int64_t>(r.objects));
      w->Key("new").Int(static_cast<int64_t>(r.stats.new_objects));
      w->Key("updated").Int(static_cast<int64_t>(r.stats.updated));
      w->Key("duplicates").Int(static_cast<int64_t>(r.stats.duplicates));
      w->Key("merged").Int(static_cast<int64_t>(r.stats.merged));
      break;
    case RetryResult::Outcome::kRejected:
      w->String("rejected").Key("reason").String(r.reason);
      break;
    case RetryResult::Outcome::kNotFound:
      w->String("not-found");
      break;
  }
  w->EndObject();
}

int Retry(const RetryOptions& opt) {
  if (opt.ids.empty() && !opt.all) {
    std::cerr << "tessera: name the entries to retry, or --all\n";
    return kExitUsage;
  }
  if (auto s = CheckSharingOptions(opt.tlp, opt.recipients); !s.ok()) {
    std::cerr << "tessera: " << s.error().message << '\n';
    return kExitUsage;
  }
  formats::ReadContext context;
  context.now = core::FormatTimestamp(core::Now(3));
  if (auto s = ParseReaderOptions(opt.reader_options, &context); !s.ok()) {
    std::cerr << "tessera: " << s.error().message << '\n';
    return kExitUsage;
  }
  auto opened = OpenCommandStore(opt.db, /*write=*/false);
  if (!opened.ok()) return ReportStoreOpenError(opened.error());
  store::Store& db = **opened;

  // The built-in warninglists flag what is stored, as at ingest.
  warninglists::WarninglistSet lists;
  WarninglistMatcher matcher;
  if (!opt.no_warninglists) {
    lists.AddBuiltins();
    lists.Compile();
    matcher = [&lists](const stix::StixObject& object) {
      std::vector<store::WarninglistHit> hits;
      for (const warninglists::ObjectHit& h : lists.Match(object)) {
        hits.push_back({h.hit.list, h.hit.reason});
      }
      return hits;
    };
  }

  auto policy = OpenPolicy(db);
  if (!policy.ok()) return ReportStoreOpenError(policy.error());
  store::SharingRequest targets;
  targets.communities = opt.communities;
  targets.recipients = opt.recipients;
  if (auto s = CheckSharingTargets(**policy, targets); !s.ok()) {
    std::cerr << "tessera: " << s.error().ToString() << '\n';
    return ExitCodeFor(s.error().code);
  }
  Retrier retrier(&db, policy->get(), opt, std::move(context), std::move(matcher));
  std::vector<RetryResult> results;
  auto retry = [&](const store::QuarantineEntry& entry) -> core::Status {
    auto result = retrier.Retry(entry);
    if (!result.ok()) return result.error();
    if (!opt.json) Print(ResultText(*result));
    results.push_back(std::move(*result));
    return {};
  };
  if (opt.all) {
    // Page by id: entries dropped along the way do not move the ones after them.
    store::QuarantineFilter filter;
    filter.partner = opt.partner;
    filter.run_id = opt.run;
    filter.limit = 200;
    while (true) {
      auto page = db.ListQuarantine(filter);
      if (!page.ok()) return ReportError(page.error());
      if (page->empty()) break;
      for (const store::QuarantineEntry& entry : *page) {
        if (auto s = retry(entry); !s.ok()) return ReportError(s.error());
      }
      filter.after_id = page->back().id;
    }
  } else {
    for (int64_t id : opt.ids) {
      auto entry = db.GetQuarantined(id);
      if (!entry.ok()) return ReportError(entry.error());
      if (!*entry) {
        RetryResult missing;
        missing.id = id;
        if (!opt.json) Print(ResultText(missing));
        results.push_back(missing);
        continue;
      }
      if (auto s = retry(**entry); !s.ok()) return ReportError(s.error());
    }
  }
  PrintSharingNotes(retrier.notes(), "tessera quarantine retry");
  size_t stored = 0;
  for (const RetryResult& r : results) stored += r.outcome == RetryResult::Outcome::kStored ? 1 : 0;
  size_t kept = results.size() - stored;
  std::string out;
  if (opt.json) {
    core::JsonWriter w(&out);
    w.BeginObject().Key("results").BeginArray();
    for (const RetryResult& r : results) WriteResultJson(r, &w);
    w.EndArray();
    w.Key("stored").Int(static_cast<int64_t>(stored)).Key("kept").Int(static_cast<int64_t>(kept));
    w.EndObject();
    out.push_back('\n');
  } else {
    out.append("retried ").append(std::to_string(results.size())).append(": ");
    out.append(std::to_string(stored)).append(" stored, ").append(std::to_string(kept));
    out.append(" still quarantined\n");
  }
  Print(out);
  return kept == 0 ? kExitOk : kExitInvalidData;
}

}  // namespace

void RegisterQuarantineCommand(CLI::App& app, int* exit_code) {
  CLI::App* cmd = app.add_subcommand(
      "quarantine",
      "Records ingest could not read, kept with their partner, file, position, reason and "
      "bytes: list them, show one, drop them, or retry them (read again, stored when they now "
      "read). Exit 3 when the database is missing or cannot be opened.");
  cmd->require_subcommand(1);

  auto list = std::make_shared<ListOptions>();
  CLI::App* list_cmd = cmd->add_subcommand(
      "list",
      "List quarantined records, oldest first: id, run, received, partner, format, position, "
      "reason. One page of --limit entries; the next with --after (told on stderr). Exit 0 "
      "(also when the quarantine is empty), 3 when the database cannot be opened.");
  list_cmd->add_option("--partner", list->partner, "Only this partner's records");
  list_cmd->add_option("--run", list->run, "Only the records of this ingest run");
  list_cmd->add_option("--after", list->after, "Entries after this id (the next page)");
  list_cmd->add_option("--limit", list->limit, "At most this many entries (default 100)")
      ->check(CLI::Range(size_t{1}, store::kMaxPageSize));
  list_cmd->add_flag("--json", list->json,
                     "Print {\"entries\": [{id, run, partner, format, file, position, reason, "
                     "received, bytes, truncated}], \"next\": id for --after, or null}");
  AddDbOption(list_cmd, &list->db);
  list_cmd->callback([list, exit_code] { *exit_code = List(*list); });

  auto show = std::make_shared<ShowOptions>();
  CLI::App* show_cmd = cmd->add_subcommand(
      "show",
      "Show one quarantined record: where it came from, why it was rejected, and its bytes "
      "(as text when they are text). Exit 0, 1 when there is no such entry, 3 when the "
      "database cannot be opened.");
  show_cmd->add_option("id", show->id, "The entry's id (from 'quarantine list')")->required();
  CLI::Option* raw =
      show_cmd->add_flag("--raw", show->raw, "Write only the record's bytes, exactly, to stdout");
  show_cmd
      ->add_flag("--json", show->json,
                 "Print {id, run, partner, format, file, position, reason, received, bytes, "
                 "truncated, and raw (text) or raw_base64 (other bytes)}")
      ->excludes(raw);
  AddDbOption(show_cmd, &show->db);
  show_cmd->callback([show, exit_code] { *exit_code = Show(*show); });

  auto drop = std::make_shared<DropOptions>();
  CLI::App* drop_cmd = cmd->add_subcommand(
      "drop",
      "Delete quarantined records for good. Exit 0 when every entry was dropped, 1 when one "
      "was not found, 3 when the database cannot be opened.");
  drop_cmd->add_option("ids", drop->ids, "Entry ids")->required();
  drop_cmd->add_flag("--json", drop->json, "Print {\"dropped\": [ids], \"missing\": [ids]}");
  AddDbOption(drop_cmd, &drop->db);
  drop_cmd->callback([drop, exit_code] { *exit_code = Drop(*drop); });

  auto retry = std::make_shared<RetryOptions>();
  CLI::App* retry_cmd = cmd->add_subcommand(
      "retry",
      "Read quarantined records again with their format's reader (after a reader fix, or "
      "with other -o options). A record that now reads is stored as its partner's, from its "
      "file and position (received now, flagged against the built-in warninglists), and "
      "dropped from the quarantine; one that is still rejected stays, and the new reason is "
      "printed. A record whose bytes were cut when quarantined cannot be retried. The sharing "
      "request given at ingest is not kept with quarantined records: give it again with --tlp, "
      "--community, --recipient. Exit 0 when every record was stored, 1 when one stayed (or "
      "was not found), 2 usage error, 3 when the database cannot be opened.");
  CLI::Option* ids = retry_cmd->add_option("ids", retry->ids, "Entry ids");
  CLI::Option* all =
      retry_cmd->add_flag("--all", retry->all, "Every entry (or those of --partner, --run)");
  ids->excludes(all);
  retry_cmd->add_option("--partner", retry->partner, "With --all: only this partner's records")
      ->needs(all);
  retry_cmd->add_option("--run", retry->run, "With --all: only the records of this run")
      ->needs(all);
  // Repeatable options take one value each, so that entry ids can follow them.
  retry_cmd
      ->add_option("-o,--option", retry->reader_options,
                   "KEY=VALUE option for the reader (repeatable; 'tessera formats -v' lists "
                   "them)")
      ->allow_extra_args(false);
  retry_cmd->add_option("--tlp", retry->tlp,
                        "TLP 2.0 level the partner shares at: clear, green, amber, amber+strict, "
                        "red (red needs --recipient)");
  retry_cmd->add_option("--community", retry->communities, "Community shared with (repeatable)")
      ->allow_extra_args(false);
  retry_cmd
      ->add_option("--recipient", retry->recipients, "Partner named as a recipient (repeatable)")
      ->allow_extra_args(false);
  retry_cmd->add_flag("--no-warninglists", retry->no_warninglists,
                      "Do not flag against the built-in warninglists");
  retry_cmd->add_flag("--json", retry->json,
                      "Print {\"results\": [{id, status: stored|rejected|not-found, reason or "
                      "objects, new, updated, duplicates, merged}], \"stored\": n, \"kept\": n}");
  AddDbOption(retry_cmd, &retry->db);
  retry_cmd->callback([retry, exit_code] { *exit_code = Retry(*retry); });
}

}  // namespace tessera::cli

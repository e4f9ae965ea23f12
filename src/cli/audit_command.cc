// `tessera audit`: the audit log as the operator or an auditor sees it. A
// token reader needs the auditor role, and its reading is itself audited
// (audit.read) before anything is shown.
#include "cli/audit_command.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "cli/db_command.h"
#include "cli/exit_codes.h"
#include "cli/governance_access.h"
#include "cli/store_access.h"
#include "core/json.h"
#include "core/time.h"
#include "governance/audit_log.h"
#include "governance/policy.h"
#include "governance/token.h"
#include "store/registry.h"

namespace tessera::cli {
namespace {

using core::ErrorCode;
using core::MakeError;

constexpr size_t kMaxEntries = 10'000;

void Print(const std::string& out) { std::fwrite(out.data(), 1, out.size(), stdout); }

int ReportError(const core::Error& error) {
  std::cerr << "tessera: " << error.ToString() << '\n';
  return ExitCodeFor(error.code);
}

struct AuditOptions {
  std::string db;
  bool json = false;
  ReaderOptions reader;  // only the token: --as gives no auditor role
  std::string actor;
  std::string action;
  std::string since;
  std::string until;
  int64_t after = 0;
  size_t limit = 100;
  std::string pseudonym;
};

// An RFC 3339 time as store Micros; `option` names it in the error.
core::Result<store::Micros> TimeOption(const std::string& text, const char* option) {
  auto time = core::ParseRfc3339(text);
  if (!time.ok()) {
    std::string message = "expected an RFC 3339 time (2025-01-31T00:00:00Z), got '";
    message.append(text).append("'");
    return MakeError(ErrorCode::kInvalidArgument, std::move(message), option);
  }
  return time->seconds * 1'000'000 + time->nanos / 1000;
}

std::string RoleList(const governance::Reader& reader) {
  std::string out;
  for (governance::Role role : reader.roles) {
    if (!out.empty()) out.append(", ");
    out.append(governance::RoleName(role));
  }
  return out.empty() ? "none" : out;
}

// The store, its policy and the reader: the operator, or a token's partner
// that holds the auditor role. Prints the problem and sets *exit_code otherwise.
struct AuditSession {
  std::unique_ptr<store::Store> store;
  std::unique_ptr<governance::Policy> policy;
  governance::Reader reader;
};

std::optional<AuditSession> OpenAuditSession(const AuditOptions& opt, int* exit_code) {
  auto opened = OpenCommandStore(opt.db, /*write=*/false);
  if (!opened.ok()) {
    *exit_code = ReportStoreOpenError(opened.error());
    return std::nullopt;
  }
  AuditSession session;
  session.store = std::move(*opened);
  auto policy = OpenPolicy(*session.store);
  if (!policy.ok()) {
    *exit_code = ReportError(policy.error());
    return std::nullopt;
  }
  session.policy = std::move(*policy);
  auto reader = ResolveReader(*session.policy, opt.reader);
  if (!reader.ok()) {
    *exit_code = ReportError(reader.error());
    return std::nullopt;
  }
  if (!reader->Has(governance::Role::kAuditor)) {
    std::cerr << "tessera: the audit commands need the auditor role; token " << reader->token_id
              << " (partner " << reader->partner << ") has: " << RoleList(*reader) << '\n';
    *exit_code = kExitDenied;
    return std::nullopt;
  }
  session.reader = std::move(*reader);
  return session;
}

// Records that a token reader read the log (the operator's reads are not
// recorded). Nothing is shown when this fails.
int AuditRead(AuditSession& session, std::string_view what, std::string details) {
  if (session.reader.kind == governance::Reader::Kind::kOperator) return kExitOk;
  auto logged = session.policy->audit().Append(session.reader.Actor(), "audit.read", what,
                                               std::move(details));
  if (!logged.ok()) {
    std::cerr << "tessera: audit log: " << logged.error().ToString() << '\n';
    return ExitCodeFor(logged.error().code);
  }
  return kExitOk;
}

void WriteEntryJson(core::JsonWriter* w, const store::AuditRecord& e) {
  w->BeginObject().Key("seq").Int(e.seq).Key("time").String(store::FormatMicros(e.time));
  w->Key("actor").String(e.actor).Key("action").String(e.action).Key("target").String(e.target);
  w->Key("details");
  auto details = core::ParseJson(e.details);
  if (details.ok()) {
    w->Value(*details);
  } else {
    w->String(e.details);  // not JSON (edited by hand): shown as it is
  }
  w->Key("prev_hash").String(e.prev_hash).Key("hash").String(e.hash).EndObject();
}

int Show(const AuditOptions& opt) {
  store::AuditFilter filter;
  filter.actor = opt.actor;
  filter.action = opt.action;
  filter.after_seq = opt.after;
  filter.limit = opt.limit;
  if (!opt.since.empty()) {
    auto since = TimeOption(opt.since, "--since");
    if (!since.ok()) return ReportError(since.error());
    filter.from = *since;
  }
  if (!opt.until.empty()) {
    auto until = TimeOption(opt.until, "--until");
    if (!until.ok()) return ReportError(until.error());
    filter.to = *until;
  }
  int exit_code = kExitOk;
  std::optional<AuditSession> session = OpenAuditSession(opt, &exit_code);
  if (!session) return exit_code;
  auto entries = session->policy->audit().List(filter);
  if (!entries.ok()) return ReportError(entries.error());

  std::string details;
  {
    core::JsonWriter w(&details);
    w.BeginObject().Key("entries").Int(static_cast<int64_t>(entries->size())).EndObject();
  }
  if (int code = AuditRead(*session, "show", details); code != kExitOk) return code;

  std::string out;
  if (opt.json) {
    core::JsonWriter w(&out);
    w.BeginArray();
    for (const store::AuditRecord& e : *entries) WriteEntryJson(&w, e);
    w.EndArray();
    out.push_back('\n');
  } else {
    std::vector<std::vector<std::string>> rows = {
        {"SEQ", "TIME", "ACTOR", "ACTION", "TARGET", "DETAILS"}};
    for (const store::AuditRecord& e : *entries) {
      rows.push_back({std::to_string(e.seq), store::FormatMicros(e.time), e.actor, e.action,
                      e.target.empty() ? "-" : e.target, e.details == "{}" ? "-" : e.details});
    }
    std::vector<size_t> width(rows.front().size(), 0);
    for (const auto& row : rows) {
      for (size_t i = 0; i < row.size(); ++i) width[i] = std::max(width[i], row[i].size());
    }
    for (const auto& row : rows) {
      for (size_t i = 0; i < row.size(); ++i) {
        out.append(row[i]);
        if (i + 1 < row.size()) out.append(width[i] + 2 - row[i].size(), ' ');
      }
      out.push_back('\n');
    }
    if (entries->size() == opt.limit) {
      std::cerr << "tessera: showing the first " << opt.limit << " entries; continue with --after "
                << entries->back().seq << '\n';
    }
  }
  Print(out);
  return kExitOk;
}

int Verify(const AuditOptions& opt) {
  int exit_code = kExitOk;
  std::optional<AuditSession> session = OpenAuditSession(opt, &exit_code);
  if (!session) return exit_code;
  auto report = session->policy->audit().Verify();
  if (!report.ok()) return ReportError(report.error());
  const governance::ChainReport& r = *report;

  std::string details;
  {
    core::JsonWriter w(&details);
    w.BeginObject().Key("intact").Bool(r.intact);
    w.Key("entries").Int(static_cast<int64_t>(r.entries)).EndObject();
  }
  if (int code = AuditRead(*session, "verify", details); code != kExitOk) return code;

  std::string out;
  if (opt.json) {
    core::JsonWriter w(&out);
    w.BeginObject().Key("intact").Bool(r.intact).Key("entries").Int(
        static_cast<int64_t>(r.entries));
    w.Key("head_seq").Int(r.head_seq).Key("head_hash").String(r.head_hash);
    w.Key("first_bad_seq");
    if (r.intact) {
      w.Null();
    } else {
      w.Int(r.first_bad_seq);
    }
    w.Key("reason");
    if (r.intact) {
      w.Null();
    } else {
      w.String(r.reason);
    }
    w.EndObject();
    out.push_back('\n');
  } else if (r.intact) {
    out = "intact: ";
    out.append(std::to_string(r.entries)).append(r.entries == 1 ? " entry" : " entries");
    out.append(", head ").append(r.head_hash.empty() ? "-" : r.head_hash).push_back('\n');
  } else {
    out = "NOT intact: first bad entry at seq ";
    out.append(std::to_string(r.first_bad_seq)).append(": ").append(r.reason);
    out.append(" (").append(std::to_string(r.entries)).append(" entries read)\n");
  }
  Print(out);
  return r.intact ? kExitOk : kExitInvalidData;
}

int Resolve(const AuditOptions& opt) {
  int exit_code = kExitOk;
  std::optional<AuditSession> session = OpenAuditSession(opt, &exit_code);
  if (!session) return exit_code;
  // Audited by the policy (pseudonym.resolve), found or not.
  auto partner = session->policy->ResolvePseudonym(session->reader, opt.pseudonym);
  if (!partner.ok()) return ReportError(partner.error());
  std::string out;
  if (opt.json) {
    core::JsonWriter w(&out);
    w.BeginObject().Key("pseudonym").String(opt.pseudonym).Key("partner");
    if (*partner) {
      w.String(**partner);
    } else {
      w.Null();
    }
    w.EndObject();
    out.push_back('\n');
  } else if (*partner) {
    out = **partner;
    out.push_back('\n');
  }
  Print(out);
  if (!*partner) {
    std::cerr << "tessera: no registered partner has the pseudonym " << opt.pseudonym << '\n';
    return kExitInputError;
  }
  return kExitOk;
}

CLI::App* AddAuditSubcommand(CLI::App* audit, const char* name, const char* help, AuditOptions* opt,
                             const char* json_help) {
  CLI::App* cmd = audit->add_subcommand(name, help);
  if (const char* token = std::getenv("TESSERA_TOKEN"); token != nullptr) opt->reader.token = token;
  cmd->add_option("--token", opt->reader.token,
                  "Act with this API token, which needs the auditor role (default: "
                  "$TESSERA_TOKEN; without one: as the operator)");
  AddDbOption(cmd, &opt->db);
  cmd->add_flag("--json", opt->json, json_help);
  return cmd;
}

}  // namespace

int AuditChange(governance::Policy& policy, std::string_view action, std::string_view target,
                std::string details) {
  auto logged = policy.audit().Append("operator", action, target, std::move(details));
  if (logged.ok()) return kExitOk;
  std::cerr << "tessera: the change was made but could not be recorded in the audit log: "
            << logged.error().ToString() << '\n';
  return ExitCodeFor(logged.error().code);
}

void RegisterAuditCommand(CLI::App& app, int* exit_code) {
  CLI::App* audit = app.add_subcommand(
      "audit",
      "The audit log: every change to the registry, every token use, every read a partner "
      "makes, each entry chained to the one before by SHA-256. For the operator, or a token "
      "with the auditor role; a token's reading is itself audited (audit.read). Exit 5 when a "
      "token is refused or lacks the auditor role.");
  audit->require_subcommand(1);

  auto show = std::make_shared<AuditOptions>();
  CLI::App* show_cmd = AddAuditSubcommand(
      audit, "show",
      "List audit entries in order: seq, time, actor, action, target, details. Exit 0; 2 for "
      "a bad option; 3 when the database is missing; 5 when the token is refused or no "
      "auditor.",
      show.get(),
      "Print a JSON array of {seq, time, actor, action, target, details (an object), "
      "prev_hash, hash}");
  show_cmd->add_option("--actor", show->actor,
                       "Only entries by this actor: operator, public, partner:NAME, "
                       "'token:ID partner:NAME'");
  show_cmd->add_option("--action", show->action,
                       "Only this action (token.issue), or every action of a prefix ending in "
                       "'.' (token.)");
  show_cmd->add_option("--since", show->since, "Only entries at or after this RFC 3339 time");
  show_cmd->add_option("--until", show->until, "Only entries at or before this RFC 3339 time");
  show_cmd->add_option("--after", show->after, "Only entries with a larger seq (to page on)")
      ->check(CLI::NonNegativeNumber);
  show_cmd->add_option("--limit", show->limit, "At most this many entries (default 100)")
      ->check(CLI::Range(size_t{1}, kMaxEntries));
  show_cmd->callback([show, exit_code] { *exit_code = Show(*show); });

  auto verify = std::make_shared<AuditOptions>();
  AddAuditSubcommand(
      audit, "verify",
      "Check the whole hash chain and its recorded head: prints 'intact: N entries, head "
      "HASH', or the first entry found modified, deleted, inserted or moved and why. Exit 0 "
      "when intact, 1 when not, 3 when the database is missing, 5 when the token is refused "
      "or no auditor.",
      verify.get(),
      "Print {intact, entries, head_seq, head_hash, first_bad_seq, reason} as JSON (the last "
      "two null when intact)")
      ->callback([verify, exit_code] { *exit_code = Verify(*verify); });

  auto resolve = std::make_shared<AuditOptions>();
  CLI::App* resolve_cmd = AddAuditSubcommand(
      audit, "resolve",
      "Name the partner behind a pseudonym (its name, or its identity--UUID) that anonymous "
      "contributions are shown under. Audited as pseudonym.resolve. Exit 0; 3 when no "
      "registered partner has it; 5 when the token is refused or no auditor.",
      resolve.get(), "Print {pseudonym, partner (null when unknown)} as JSON");
  resolve_cmd->add_option("PSEUDONYM", resolve->pseudonym, "The pseudonym or its identity id")
      ->required();
  resolve_cmd->callback([resolve, exit_code] { *exit_code = Resolve(*resolve); });
}

}  // namespace tessera::cli

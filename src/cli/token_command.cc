// `tessera token`: issuing, listing and revoking partners' API tokens. The
// token text is made here (governance::IssueToken), printed once and dropped;
// the registry keeps its id, partner, roles, times and the secret's hash.
#include "cli/token_command.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <charconv>
#include <cstdio>
#include <initializer_list>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cli/audit_command.h"
#include "cli/db_command.h"
#include "cli/exit_codes.h"
#include "cli/governance_access.h"
#include "cli/store_access.h"
#include "core/json.h"
#include "core/time.h"
#include "governance/policy.h"
#include "governance/token.h"
#include "store/registry.h"

namespace tessera::cli {
namespace {

using core::ErrorCode;
using core::MakeError;

constexpr store::Micros kMicrosPerSecond = 1'000'000;
constexpr int64_t kMaxDurationSeconds = int64_t{36'500} * 86'400;  // a hundred years

void Print(const std::string& out) { std::fwrite(out.data(), 1, out.size(), stdout); }

int ReportError(const core::Error& error) {
  std::cerr << "tessera: " << error.ToString() << '\n';
  return ExitCodeFor(error.code);
}

// The parts joined (GCC 12 warns falsely on `"literal" + std::string`).
std::string Cat(std::initializer_list<std::string_view> parts) {
  std::string out;
  for (std::string_view part : parts) out.append(part);
  return out;
}

std::string Joined(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (const std::string& item : items) {
    if (!out.empty()) out.append(separator);
    out.append(item);
  }
  return out;
}

struct TokenOptions {
  std::string db;
  bool json = false;
  std::string partner;
  std::vector<std::string> roles;
  std::string expires;
  std::string description;
  std::string id;
};

// WHEN: an RFC 3339 timestamp ("2025-01-31T00:00:00Z"), or a duration from
// `now`: a whole number and s, m (minutes), h, d or w ("30d", "12h").
core::Result<store::Micros> ExpiryTime(const std::string& text, store::Micros now) {
  auto fail = [&] {
    return MakeError(ErrorCode::kInvalidArgument,
                     Cat({"expected an RFC 3339 time (2025-01-31T00:00:00Z) or a duration such "
                          "as 30d, 12h, 90m, 2w (at most 100 years), got '",
                          text, "'"}),
                     "--expires");
  };
  if (!text.empty() && text.front() >= '0' && text.front() <= '9' && text.find('-') == text.npos) {
    int64_t n = 0;
    const char* end = text.data() + text.size();
    auto [unit, ec] = std::from_chars(text.data(), end, n);
    if (ec != std::errc() || unit + 1 != end) return fail();
    int64_t seconds = 0;
    switch (*unit) {
      case 's':
        seconds = 1;
        break;
      case 'm':
        seconds = 60;
        break;
      case 'h':
        seconds = 3'600;
        break;
      case 'd':
        seconds = 86'400;
        break;
      case 'w':
        seconds = 7 * 86'400;
        break;
      default:
        return fail();
    }
    if (n > kMaxDurationSeconds / seconds) return fail();
    return now + n * seconds * kMicrosPerSecond;
  }
  auto time = core::ParseRfc3339(text);
  if (!time.ok()) return fail();
  return time->seconds * kMicrosPerSecond + time->nanos / 1000;
}

std::string TimeOrDash(const std::optional<store::Micros>& micros) {
  return micros ? store::FormatMicros(*micros) : std::string("-");
}

int Issue(const TokenOptions& opt) {
  auto roles = governance::ParseRoles(Joined(opt.roles, ","));
  if (!roles.ok()) {
    core::Error error = roles.error();
    error.location = "--role";
    return ReportError(error);
  }
  store::Micros now = NowMicros();
  std::optional<store::Micros> expires;
  if (!opt.expires.empty()) {
    auto when = ExpiryTime(opt.expires, now);
    if (!when.ok()) return ReportError(when.error());
    expires = *when;
  }
  auto opened = OpenCommandStore(opt.db, /*write=*/false);
  if (!opened.ok()) return ReportStoreOpenError(opened.error());
  auto policy = OpenPolicy(**opened);
  if (!policy.ok()) return ReportError(policy.error());
  store::Registry& registry = (*policy)->registry();
  auto partner = registry.GetPartner(opt.partner);
  if (!partner.ok()) return ReportError(partner.error());
  if (!*partner) {
    return ReportError(MakeError(
        ErrorCode::kNotFound,
        Cat({"no partner named ", opt.partner, " (register it with 'tessera partner add')"})));
  }

  governance::IssuedToken issued = governance::IssueToken();
  store::TokenRecord record;
  record.id = issued.id;
  record.partner = opt.partner;
  record.roles = std::move(*roles);
  record.hash = issued.hash;
  record.description = opt.description;
  record.created = now;
  record.expires = expires;
  if (auto s = registry.AddToken(record); !s.ok()) return ReportError(s.error());

  std::string details;
  {
    core::JsonWriter w(&details);
    w.BeginObject().Key("partner").String(record.partner).Key("roles").BeginArray();
    for (const std::string& role : record.roles) w.String(role);
    w.EndArray().Key("expires");
    if (expires) {
      w.String(store::FormatMicros(*expires));
    } else {
      w.Null();
    }
    w.Key("description").String(record.description).EndObject();
  }
  // An unaudited token is never shown, so nobody can use it.
  if (int code = AuditChange(**policy, "token.issue", Cat({"token:", record.id}), details);
      code != kExitOk) {
    return code;
  }

  std::string out;
  if (opt.json) {
    core::JsonWriter w(&out);
    w.BeginObject().Key("token").String(issued.text).Key("id").String(record.id);
    w.Key("partner").String(record.partner).Key("roles").BeginArray();
    for (const std::string& role : record.roles) w.String(role);
    w.EndArray().Key("description").String(record.description);
    w.Key("created").String(store::FormatMicros(record.created)).Key("expires");
    if (expires) {
      w.String(store::FormatMicros(*expires));
    } else {
      w.Null();
    }
    w.EndObject();
    out.push_back('\n');
  } else {
    out = issued.text;
    out.push_back('\n');
  }
  Print(out);
  std::fflush(stdout);
  std::cerr << "tessera: issued token " << record.id << " to partner " << record.partner
            << " (roles: " << Joined(record.roles, ", ")
            << "). Its text is shown this once and cannot be shown again: store it now.\n";
  if (expires && *expires <= now) {
    std::cerr << "tessera: note: it expires at " << store::FormatMicros(*expires)
              << ", which has passed: it will be refused\n";
  }
  return kExitOk;
}

int List(const TokenOptions& opt) {
  auto opened = OpenCommandStore(opt.db, /*write=*/false);
  if (!opened.ok()) return ReportStoreOpenError(opened.error());
  store::Registry registry(**opened);
  if (!opt.partner.empty()) {
    auto partner = registry.GetPartner(opt.partner);
    if (!partner.ok()) return ReportError(partner.error());
    if (!*partner) {
      return ReportError(MakeError(ErrorCode::kNotFound, Cat({"no partner named ", opt.partner})));
    }
  }
  auto tokens = registry.ListTokens(opt.partner);
  if (!tokens.ok()) return ReportError(tokens.error());
  store::Micros now = NowMicros();
  std::string out;
  if (opt.json) {
    core::JsonWriter w(&out);
    w.BeginArray();
    for (const store::TokenRecord& t : *tokens) WriteTokenJson(&w, t, now);
    w.EndArray();
    out.push_back('\n');
  } else if (tokens->empty()) {
    std::cerr << "tessera: no tokens\n";
  } else {
    std::vector<std::vector<std::string>> rows = {
        {"ID", "PARTNER", "ROLES", "CREATED", "EXPIRES", "STATE", "DESCRIPTION"}};
    for (const store::TokenRecord& t : *tokens) {
      rows.push_back({t.id, t.partner, Joined(t.roles, ","), store::FormatMicros(t.created),
                      TimeOrDash(t.expires), std::string(TokenStateText(t, now)), t.description});
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
      while (!out.empty() && out.back() == ' ') out.pop_back();
      out.push_back('\n');
    }
  }
  Print(out);
  return kExitOk;
}

int Revoke(const TokenOptions& opt) {
  std::string id = opt.id;
  if (id.starts_with("tsr_")) {  // the whole token text: its id (the secret is not kept)
    auto parsed = governance::ParseToken(id);
    if (!parsed) {
      return ReportError(MakeError(ErrorCode::kInvalidArgument,
                                   "not a token: expected its id (12 hex characters) or its "
                                   "whole text tsr_ID_SECRET"));
    }
    id = parsed->id;
  }
  auto opened = OpenCommandStore(opt.db, /*write=*/false);
  if (!opened.ok()) return ReportStoreOpenError(opened.error());
  auto policy = OpenPolicy(**opened);
  if (!policy.ok()) return ReportError(policy.error());
  store::Registry& registry = (*policy)->registry();
  auto token = registry.GetToken(id);
  if (!token.ok()) return ReportError(token.error());
  if (!*token) {
    return ReportError(MakeError(ErrorCode::kNotFound,
                                 Cat({"no token with id ", id, " (see 'tessera token list')"})));
  }
  auto already = [&](store::Micros when) {
    std::cerr << "tessera: token " << id << " was already revoked at " << store::FormatMicros(when)
              << '\n';
    return kExitConflict;
  };
  if ((*token)->revoked) return already(*(*token)->revoked);
  store::Micros now = NowMicros();
  auto revoked = registry.RevokeToken(id, now);
  if (!revoked.ok()) return ReportError(revoked.error());
  if (!*revoked) {  // revoked by another process since it was read
    auto again = registry.GetToken(id);
    return already(again.ok() && *again && (**again).revoked ? *(**again).revoked : now);
  }
  std::string details;
  {
    core::JsonWriter w(&details);
    w.BeginObject().Key("partner").String((*token)->partner).EndObject();
  }
  if (int code = AuditChange(**policy, "token.revoke", Cat({"token:", id}), details);
      code != kExitOk) {
    return code;
  }
  std::string out;
  if (opt.json) {
    core::JsonWriter w(&out);
    w.BeginObject().Key("id").String(id).Key("partner").String((*token)->partner);
    w.Key("revoked").String(store::FormatMicros(now)).EndObject();
    out.push_back('\n');
  } else {
    out = Cat({"revoked token ", id, " of partner ", (*token)->partner, "\n"});
  }
  Print(out);
  return kExitOk;
}

}  // namespace

std::string_view TokenStateText(const store::TokenRecord& token, store::Micros now) {
  if (token.revoked) return "revoked";
  if (token.expires && *token.expires <= now) return "expired";
  return "active";
}

void WriteTokenJson(core::JsonWriter* w, const store::TokenRecord& token, store::Micros now) {
  auto time = [&](std::string_view key, const std::optional<store::Micros>& micros) {
    w->Key(key);
    if (micros) {
      w->String(store::FormatMicros(*micros));
    } else {
      w->Null();
    }
  };
  w->BeginObject().Key("id").String(token.id).Key("partner").String(token.partner);
  w->Key("roles").BeginArray();
  for (const std::string& role : token.roles) w->String(role);
  w->EndArray().Key("description").String(token.description);
  time("created", token.created);
  time("expires", token.expires);
  time("revoked", token.revoked);
  w->Key("state").String(TokenStateText(token, now)).EndObject();
}

void RegisterTokenCommand(CLI::App& app, int* exit_code) {
  CLI::App* token = app.add_subcommand(
      "token",
      "API tokens: each belongs to one partner and carries roles (admin, contributor, "
      "consumer, auditor). A token is 'tsr_<id>_<secret>'; the hub stores only a hash of the "
      "secret, so a token's text is shown once, when it is issued. Issuing and revoking are "
      "audited.");
  token->require_subcommand(1);

  auto issue = std::make_shared<TokenOptions>();
  CLI::App* issue_cmd = token->add_subcommand(
      "issue",
      "Issue a token to a registered partner and print its text on stdout, this once only "
      "(a note on stderr says so). Audited as token.issue (without the secret). Exit 0; 2 "
      "for a bad role or time; 3 when there is no such partner.");
  issue_cmd->add_option("PARTNER", issue->partner, "The partner the token acts for")->required();
  issue_cmd
      ->add_option("--role", issue->roles,
                   "A role: admin, contributor, consumer (reads data), auditor (reads the audit "
                   "log, resolves pseudonyms); repeat or separate with commas for more")
      ->required();
  issue_cmd->add_option("--expires", issue->expires,
                        "When it stops working: an RFC 3339 time (2025-01-31T00:00:00Z) or a "
                        "duration from now (30d, 12h, 90m, 2w); default: never");
  issue_cmd->add_option("--description", issue->description, "What the token is for");
  AddDbOption(issue_cmd, &issue->db);
  issue_cmd->add_flag("--json", issue->json,
                      "Print {token, id, partner, roles, description, created, expires} as JSON");
  issue_cmd->callback([issue, exit_code] { *exit_code = Issue(*issue); });

  auto list = std::make_shared<TokenOptions>();
  CLI::App* list_cmd = token->add_subcommand(
      "list",
      "List tokens, by id: partner, roles, created, expires, state (active, expired, "
      "revoked), description. Never a token's text or hash. Exit 0, or 3 when the partner "
      "named does not exist.");
  list_cmd->add_option("PARTNER", list->partner, "Only this partner's tokens");
  AddDbOption(list_cmd, &list->db);
  list_cmd->add_flag("--json", list->json,
                     "Print a JSON array of {id, partner, roles, description, created, expires, "
                     "revoked, state}");
  list_cmd->callback([list, exit_code] { *exit_code = List(*list); });

  auto revoke = std::make_shared<TokenOptions>();
  CLI::App* revoke_cmd = token->add_subcommand(
      "revoke",
      "Revoke a token: it is refused from now on, by every process. Audited as token.revoke. "
      "Exit 0; 3 when there is no such token; 4 when it was revoked already.");
  revoke_cmd->add_option("ID", revoke->id, "The token's id (or its whole text)")->required();
  AddDbOption(revoke_cmd, &revoke->db);
  revoke_cmd->add_flag("--json", revoke->json, "Print {id, partner, revoked} as JSON");
  revoke_cmd->callback([revoke, exit_code] { *exit_code = Revoke(*revoke); });
}

}  // namespace tessera::cli

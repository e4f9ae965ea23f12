// `tessera retention`: per-type retention rules. governance/sharing.h applies
// them when data is received (the earliest of the partner's and the type's
// retention becomes the report's expiry); `tessera db purge` removes what expired.
#include "cli/retention_command.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <charconv>
#include <cstdio>
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
#include "governance/policy.h"
#include "store/registry.h"

namespace tessera::cli {
namespace {

using core::ErrorCode;
using core::MakeError;

constexpr int64_t kMaxRetentionDays = 36'500;  // a hundred years

void Print(const std::string& out) { std::fwrite(out.data(), 1, out.size(), stdout); }

int ReportError(const core::Error& error) {
  std::cerr << "tessera: " << error.ToString() << '\n';
  return ExitCodeFor(error.code);
}

struct RetentionOptions {
  std::string db;
  bool json = false;
  std::string type;
  std::string days;  // "N" or "none"
};

// STIX 2.1 §3.1: a type name is 3 to 250 characters of a-z, 0-9 and '-', with
// no two hyphens in a row.
core::Status CheckType(std::string_view type) {
  bool ok = type.size() >= 3 && type.size() <= 250 && type.find("--") == type.npos;
  for (char c : type) ok &= (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  if (ok) return {};
  std::string message = "'";
  message.append(type).append(
      "' is not a STIX object type (3 to 250 characters of a-z, 0-9 and '-', e.g. indicator)");
  return MakeError(ErrorCode::kInvalidArgument, std::move(message), "TYPE");
}

core::Result<std::optional<int64_t>> Days(const std::string& text) {
  if (text == "none") return std::optional<int64_t>();
  int64_t days = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), days);
  if (ec != std::errc() || end != text.data() + text.size() || days < 1 ||
      days > kMaxRetentionDays) {
    std::string message = "expected whole days from 1 to ";
    message.append(std::to_string(kMaxRetentionDays)).append(" or 'none', got '");
    message.append(text).append("'");
    return MakeError(ErrorCode::kInvalidArgument, std::move(message), "DAYS");
  }
  return std::optional<int64_t>(days);
}

void WriteDays(core::JsonWriter* w, std::string_view key, const std::optional<int64_t>& days) {
  w->Key(key);
  if (days) {
    w->Int(*days);
  } else {
    w->Null();
  }
}

std::string DaysText(const std::optional<int64_t>& days) {
  if (!days) return "no rule";
  std::string out = std::to_string(*days);
  return out.append(*days == 1 ? " day" : " days");
}

int Set(const RetentionOptions& opt) {
  if (auto s = CheckType(opt.type); !s.ok()) return ReportError(s.error());
  auto days = Days(opt.days);
  if (!days.ok()) return ReportError(days.error());
  auto opened = OpenCommandStore(opt.db, /*write=*/true);
  if (!opened.ok()) return ReportStoreOpenError(opened.error());
  auto policy = OpenPolicy(**opened);
  if (!policy.ok()) return ReportError(policy.error());
  store::Registry& registry = (*policy)->registry();
  auto rules = registry.RetentionRules();
  if (!rules.ok()) return ReportError(rules.error());
  std::optional<int64_t> previous;
  for (const auto& [type, n] : *rules) {
    if (type == opt.type) previous = n;
  }
  if (previous != *days) {
    if (auto s = registry.SetRetention(opt.type, *days); !s.ok()) return ReportError(s.error());
    std::string details;
    {
      core::JsonWriter w(&details);
      w.BeginObject();
      WriteDays(&w, "days", *days);
      WriteDays(&w, "previous", previous);
      w.EndObject();
    }
    std::string target = "retention:";
    if (int code = AuditChange(**policy, "retention.set", target.append(opt.type), details);
        code != kExitOk) {
      return code;
    }
  }
  std::string out;
  if (opt.json) {
    core::JsonWriter w(&out);
    w.BeginObject().Key("type").String(opt.type);
    WriteDays(&w, "days", *days);
    WriteDays(&w, "previous", previous);
    w.Key("changed").Bool(previous != *days).EndObject();
    out.push_back('\n');
  } else {
    out = opt.type;
    out.append(": ").append(DaysText(*days));
    if (previous == *days) {
      out.append(" (unchanged)");
    } else {
      out.append(" (was ").append(DaysText(previous)).append(")");
    }
    out.push_back('\n');
  }
  Print(out);
  return kExitOk;
}

int List(const RetentionOptions& opt) {
  auto opened = OpenCommandStore(opt.db, /*write=*/false);
  if (!opened.ok()) return ReportStoreOpenError(opened.error());
  store::Registry registry(**opened);
  auto rules = registry.RetentionRules();
  if (!rules.ok()) return ReportError(rules.error());
  std::string out;
  if (opt.json) {
    core::JsonWriter w(&out);
    w.BeginArray();
    for (const auto& [type, days] : *rules) {
      w.BeginObject().Key("type").String(type).Key("days").Int(days).EndObject();
    }
    w.EndArray();
    out.push_back('\n');
  } else if (rules->empty()) {
    std::cerr << "tessera: no retention rules: objects are kept unless their partner's retention "
                 "says otherwise\n";
  } else {
    size_t width = 4;
    for (const auto& [type, days] : *rules) width = std::max(width, type.size());
    out.append("TYPE").append(width + 2 - 4, ' ').append("DAYS\n");
    for (const auto& [type, days] : *rules) {
      out.append(type).append(width + 2 - type.size(), ' ').append(std::to_string(days));
      out.push_back('\n');
    }
  }
  Print(out);
  return kExitOk;
}

}  // namespace

void RegisterRetentionCommand(CLI::App& app, int* exit_code) {
  CLI::App* retention = app.add_subcommand(
      "retention",
      "How long the hub keeps objects of a STIX type. A report expires at the earliest of its "
      "partner's retention and its type's; the rule in force when data is received applies to "
      "it. 'tessera db purge' removes expired data.");
  retention->require_subcommand(1);

  auto set = std::make_shared<RetentionOptions>();
  CLI::App* set_cmd = retention->add_subcommand(
      "set",
      "Keep objects of TYPE for DAYS days after they are received, or remove the rule (none). "
      "The database is created when missing. A change is audited as retention.set. Exit 0, or "
      "2 for a bad type or number of days.");
  set_cmd->add_option("TYPE", set->type, "A STIX object type: indicator, ipv4-addr, ...")
      ->required();
  set_cmd->add_option("DAYS", set->days, "Whole days, 1 to 36500, or 'none' (no rule)")->required();
  AddDbOption(set_cmd, &set->db);
  set_cmd->add_flag("--json", set->json,
                    "Print {type, days, previous, changed} as JSON (days null: no rule)");
  set_cmd->callback([set, exit_code] { *exit_code = Set(*set); });

  auto list = std::make_shared<RetentionOptions>();
  CLI::App* list_cmd = retention->add_subcommand(
      "list", "List the retention rules by type. Exit 0, or 3 when the database is missing.");
  AddDbOption(list_cmd, &list->db);
  list_cmd->add_flag("--json", list->json, "Print a JSON array of {type, days}");
  list_cmd->callback([list, exit_code] { *exit_code = List(*list); });
}

}  // namespace tessera::cli

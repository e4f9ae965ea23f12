#include "cli/redaction_command.h"

#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include "cli/audit_command.h"
#include "cli/db_command.h"
#include "cli/exit_codes.h"
#include "cli/governance_access.h"
#include "cli/io.h"
#include "cli/store_access.h"
#include "core/json.h"
#include "governance/redaction.h"
#include "store/registry.h"

namespace tessera::cli {
namespace {

struct RedactionOptions {
  std::string db;
  std::string file;
  bool json = false;
};

int ReportError(const core::Error& error) {
  std::cerr << "tessera: " << error.ToString() << '\n';
  return ExitCodeFor(error.code);
}

void PrintRules(const governance::RedactionRules& rules, bool configured, bool json) {
  std::string out;
  if (json) {
    core::JsonWriter w(&out);
    w.BeginObject().Key("source").String(configured ? "configured" : "built-in");
    w.Key("rules").BeginArray();
    for (const governance::RedactionRule& r : rules.rules()) {
      w.BeginObject().Key("type").String(r.type).Key("properties").BeginArray();
      for (const std::string& p : r.properties) w.String(p);
      w.EndArray();
      if (!r.when_identity_class.empty()) {
        w.Key("when_identity_class").String(r.when_identity_class);
      }
      w.EndObject();
    }
    w.EndArray().EndObject();
  } else {
    out.append(configured ? "# configured rules (tessera redaction set)\n"
                          : "# built-in rules (tessera redaction set FILE replaces them)\n");
    for (const governance::RedactionRule& r : rules.rules()) {
      out.append("\n[[personal]]\ntype = \"").append(r.type).append("\"\nproperties = [");
      for (size_t i = 0; i < r.properties.size(); ++i) {
        out.append(i == 0 ? "\"" : ", \"").append(r.properties[i]).append("\"");
      }
      out.append("]\n");
      if (!r.when_identity_class.empty()) {
        out.append("when_identity_class = \"").append(r.when_identity_class).append("\"\n");
      }
    }
  }
  out.push_back('\n');
  std::fwrite(out.data(), 1, out.size(), stdout);
}

int Show(const RedactionOptions& opt) {
  auto opened = OpenCommandStore(opt.db, /*write=*/false);
  if (!opened.ok()) return ReportStoreOpenError(opened.error());
  store::Registry registry(**opened);
  auto text = registry.GetSetting(governance::Policy::kRedactionRulesSetting);
  if (!text.ok()) return ReportError(text.error());
  if (!*text) {
    PrintRules(governance::RedactionRules::Builtin(), false, opt.json);
    return kExitOk;
  }
  auto rules = governance::RedactionRules::FromToml(**text, "configured redaction rules");
  if (!rules.ok()) return ReportError(rules.error());
  PrintRules(*rules, true, opt.json);
  return kExitOk;
}

// Sets (file given) or resets (no file) the rules; audited either way.
int Change(const RedactionOptions& opt, bool reset) {
  std::optional<std::string> text;
  std::optional<governance::RedactionRules> rules;
  if (!reset) {
    auto read = ReadInput(opt.file);
    if (!read.ok()) return ReportError(read.error());
    auto parsed = governance::RedactionRules::FromToml(*read, DisplayName(opt.file));
    if (!parsed.ok()) return ReportError(parsed.error());
    text = std::move(*read);
    rules = std::move(*parsed);
  }
  auto opened = OpenCommandStore(opt.db, /*write=*/true);
  if (!opened.ok()) return ReportStoreOpenError(opened.error());
  auto policy = OpenPolicy(**opened);
  if (!policy.ok()) return ReportError(policy.error());
  std::optional<std::string_view> value;
  if (text) value = *text;
  if (auto s = (*policy)->registry().SetSetting(governance::Policy::kRedactionRulesSetting, value);
      !s.ok()) {
    return ReportError(s.error());
  }
  std::string details = R"({"rules":)";
  details.append(std::to_string(rules ? rules->rules().size() : 0)).append("}");
  if (int code = AuditChange(**policy, reset ? "redaction.reset" : "redaction.set", "redaction",
                             details);
      code != kExitOk) {
    return code;
  }
  PrintRules(rules ? *rules : governance::RedactionRules::Builtin(), !reset, opt.json);
  return kExitOk;
}

}  // namespace

void RegisterRedactionCommand(CLI::App& app, int* exit_code) {
  CLI::App* redaction = app.add_subcommand(
      "redaction",
      "Which observables are personal data: readers not entitled to it (partner set "
      "--personal-data) see a keyed hash instead of the value (docs/GOVERNANCE.md). The rules "
      "are kept in the database, so every tessera process on it applies the same ones.");
  redaction->require_subcommand(1);

  auto show = std::make_shared<RedactionOptions>();
  CLI::App* show_cmd = redaction->add_subcommand(
      "show", "Print the rules in force, as the TOML 'set' takes (or --json). Exit 0, or 3 when "
              "the database is missing.");
  AddDbOption(show_cmd, &show->db);
  show_cmd->add_flag("--json", show->json,
                     "Print {source: built-in|configured, rules: [{type, properties, "
                     "when_identity_class}]}");
  show_cmd->callback([show, exit_code] { *exit_code = Show(*show); });

  auto set = std::make_shared<RedactionOptions>();
  CLI::App* set_cmd = redaction->add_subcommand(
      "set",
      "Replace the rules with those of a TOML file ('-': standard input), one [[personal]] "
      "table per rule: type, properties, and optionally when_identity_class. The file is "
      "checked first (errors name the line). Audited as redaction.set. Exit 0, 1 for a bad "
      "file, 3 when it cannot be read.");
  set_cmd->add_option("FILE", set->file, "The rules (TOML)")->required();
  AddDbOption(set_cmd, &set->db);
  set_cmd->add_flag("--json", set->json, "Print the rules now in force as JSON");
  set_cmd->callback([set, exit_code] { *exit_code = Change(*set, false); });

  auto reset = std::make_shared<RedactionOptions>();
  CLI::App* reset_cmd = redaction->add_subcommand(
      "reset", "Back to the built-in rules. Audited as redaction.reset. Exit 0.");
  AddDbOption(reset_cmd, &reset->db);
  reset_cmd->add_flag("--json", reset->json, "Print the rules now in force as JSON");
  reset_cmd->callback([reset, exit_code] { *exit_code = Change(*reset, true); });
}

}  // namespace tessera::cli

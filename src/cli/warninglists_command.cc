// `tessera warninglists list|check`: the lists of known-benign and meaningless
// values (docs/WARNINGLISTS.md). Exit codes of `check` follow grep: 0 when a
// value is on a list, 1 when none is, 2 usage, 3 when a --list cannot be loaded.
#include "cli/warninglists_command.h"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "cli/exit_codes.h"
#include "cli/io.h"
#include "core/json.h"
#include "normalize/observable.h"
#include "warninglists/warninglist.h"

namespace tessera::cli {
namespace {

struct WarninglistsOptions {
  std::vector<std::string> lists;  // files or directories (--list)
  bool no_builtins = false;
  bool json = false;
  std::vector<std::string> values;
};

// Builtins (unless --no-builtins) and every --list; on failure prints the error
// and returns false (the caller exits with kExitInputError).
bool LoadSet(const WarninglistsOptions& opt, warninglists::WarninglistSet* set) {
  if (!opt.no_builtins) set->AddBuiltins();
  for (const std::string& path : opt.lists) {
    core::Status s = set->AddPath(path);
    if (!s.ok()) {
      std::cerr << "tessera: warninglist " << s.error().ToString() << '\n';
      return false;
    }
  }
  set->Compile();
  for (const warninglists::ListInfo& info : set->Lists()) {
    if (info.skipped_entries > 0) {
      std::cerr << "tessera: warninglist " << info.id << " (" << info.origin << "): skipped "
                << info.skipped_entries << " unusable entr"
                << (info.skipped_entries == 1 ? "y" : "ies") << ", first: "
                << info.first_skip_reason << '\n';
    }
  }
  return true;
}

void WriteListJson(const warninglists::ListInfo& info, core::JsonWriter* w) {
  w->BeginObject();
  w->Key("id").String(info.id).Key("name").String(info.name);
  w->Key("description").String(info.description).Key("version").Int(info.version);
  w->Key("type").String(warninglists::ListTypeName(info.type));
  w->Key("category").String(info.category);
  w->Key("matching_attributes").BeginArray();
  for (const std::string& a : info.matching_attributes) w->String(a);
  w->EndArray();
  w->Key("builtin").Bool(info.builtin).Key("origin").String(info.origin);
  w->Key("entries").Int(static_cast<int64_t>(info.entries));
  w->Key("skipped_entries").Int(static_cast<int64_t>(info.skipped_entries));
  if (info.skipped_entries > 0) w->Key("first_skip_reason").String(info.first_skip_reason);
  w->EndObject();
}

int List(const WarninglistsOptions& opt) {
  warninglists::WarninglistSet set;
  if (!LoadSet(opt, &set)) return kExitInputError;
  std::string out;
  if (opt.json) {
    core::JsonWriter w(&out);
    w.BeginArray();
    for (const warninglists::ListInfo& info : set.Lists()) WriteListJson(info, &w);
    w.EndArray();
    out += '\n';
  } else {
    size_t width = 2;
    for (const warninglists::ListInfo& info : set.Lists()) width = std::max(width, info.id.size());
    for (const warninglists::ListInfo& info : set.Lists()) {
      std::string count = std::to_string(info.entries);
      std::string type(warninglists::ListTypeName(info.type));
      out += info.id;
      out.append(width + 2 - info.id.size(), ' ');
      out += type;
      out.append(11 - std::min<size_t>(type.size(), 10), ' ');
      out.append(count.size() < 8 ? 8 - count.size() : 0, ' ');
      out += count;
      out += info.builtin ? "  built-in  " : "  loaded    ";
      out += info.name;
      out += '\n';
    }
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  return kExitOk;
}

int Check(const WarninglistsOptions& opt) {
  warninglists::WarninglistSet set;
  if (!LoadSet(opt, &set)) return kExitInputError;

  std::vector<std::string> values;
  for (const std::string& v : opt.values) {
    if (v != "-") {
      values.push_back(v);
      continue;
    }
    core::Status s = ForEachLine("-", [&](size_t, std::string_view line) {
      while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) {
        line.remove_suffix(1);
      }
      while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
      if (!line.empty()) values.emplace_back(line);
    });
    if (!s.ok()) {
      std::cerr << "tessera: " << s.error().ToString() << '\n';
      return ExitCodeFor(s.error().code);
    }
  }

  bool any_hit = false;
  std::string out;
  core::JsonWriter w(&out);
  if (opt.json) w.BeginArray();
  for (const std::string& value : values) {
    auto result = set.MatchToken(value);
    if (result.ok() && !result->hits.empty()) any_hit = true;
    if (opt.json) {
      w.BeginObject().Key("value").String(value);
      if (!result.ok()) {
        w.Key("error").String(result.error().message);
      } else {
        w.Key("as").BeginArray();
        for (const normalize::Observable& obs : result->as) {
          w.BeginObject().Key("kind").String(normalize::KindName(obs.kind));
          w.Key("value").String(obs.value).EndObject();
        }
        w.EndArray();
        w.Key("hits").BeginArray();
        for (const warninglists::Hit& hit : result->hits) {
          w.BeginObject().Key("list").String(hit.list).Key("entry").String(hit.entry);
          w.Key("reason").String(hit.reason).EndObject();
        }
        w.EndArray();
      }
      w.EndObject();
    } else if (!result.ok()) {
      out += value + ": not checked: " + result.error().message + '\n';
    } else if (result->hits.empty()) {
      out += value + ": on no list\n";
    } else {
      for (const warninglists::Hit& hit : result->hits) {
        out += value + ": " + hit.list + ": " + hit.reason + '\n';
      }
    }
  }
  if (opt.json) {
    w.EndArray();
    out += '\n';
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  return any_hit ? kExitOk : kExitInvalidData;
}

void AddListOptions(CLI::App* cmd, WarninglistsOptions* opt) {
  cmd->add_option("--list", opt->lists,
                  "A MISP warninglist JSON file, or a directory: every list.json under it "
                  "(the misp-warninglists layout). Repeatable.")
      ->allow_extra_args(false);  // one path per --list: values follow
  cmd->add_flag("--no-builtins", opt->no_builtins, "Leave out Tessera's built-in lists");
}

}  // namespace

void RegisterWarninglistsCommand(CLI::App& app, int* exit_code) {
  CLI::App* cmd = app.add_subcommand(
      "warninglists",
      "Lists of known-benign and meaningless values (private ranges, documentation domains, "
      "public resolvers, empty-file hashes, ...): built in, or MISP warninglist files.");
  cmd->require_subcommand(1);

  auto list_opt = std::make_shared<WarninglistsOptions>();
  CLI::App* list = cmd->add_subcommand(
      "list", "Print the built-in lists and those loaded with --list: id, type, entries, name.");
  AddListOptions(list, list_opt.get());
  list->add_flag("--json", list_opt->json,
                 "Print a JSON array: id, name, description, version, type, category, "
                 "matching_attributes, builtin, origin, entries, skipped_entries");
  list->callback([list_opt, exit_code] { *exit_code = List(*list_opt); });

  auto check_opt = std::make_shared<WarninglistsOptions>();
  CLI::App* check = cmd->add_subcommand(
      "check",
      "Print which lists each value is on and why, one line per hit ('VALUE: LIST: REASON'; "
      "'VALUE: on no list'). Values are refanged, classified and canonicalized first. "
      "Exit status as grep's: 0 when at least one value is on a list, 1 when none is, "
      "2 on a usage error, 3 when a --list cannot be read or is not a valid warninglist.");
  AddListOptions(check, check_opt.get());
  check->add_flag("--json", check_opt->json,
                  "Print a JSON array: value, as (the canonical readings checked), hits "
                  "(list, entry, reason), or error");
  check->add_option("values", check_opt->values, "Values to check ('-': one per line from stdin)")
      ->required();
  check->callback([check_opt, exit_code] { *exit_code = Check(*check_opt); });
}

}  // namespace tessera::cli

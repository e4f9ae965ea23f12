// `tessera stix ...`: validate, ids, print, upgrade.
#include "cli/stix_commands.h"

#include <CLI/CLI.hpp>

#include <cstdio>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "cli/exit_codes.h"
#include "cli/io.h"
#include "core/json.h"
#include "stix/bundle.h"
#include "stix/ids.h"
#include "stix/upgrade.h"

namespace tessera::cli {
namespace {

void PrintError(const std::string& where, const std::string& message) {
  std::cerr << "tessera: " << where << ": " << message << '\n';
}

// ---- validate ---------------------------------------------------------------

struct ValidateOptions {
  std::vector<std::string> files;
  bool json = false;
  bool strict = false;
  bool summary = false;
  bool quiet = false;
  bool info = false;
};

struct FileReport {
  std::string name;
  bool readable = true;
  std::string read_error;
  stix::StixDocument doc;
};

bool Passes(const FileReport& r, bool strict) {
  if (!r.readable) return false;
  if (r.doc.CountProblems(stix::Severity::kError) > 0) return false;
  return !strict || r.doc.CountProblems(stix::Severity::kWarning) == 0;
}

int RunValidate(const ValidateOptions& opt) {
  std::vector<FileReport> reports;
  bool any_unreadable = false;
  for (const std::string& path : opt.files) {
    FileReport report;
    report.name = DisplayName(path);
    auto text = ReadInput(path);
    if (!text.ok()) {
      report.readable = false;
      report.read_error = text.error().message;
      any_unreadable = true;
    } else {
      stix::ReadOptions read;
      read.keep_objects = false;  // validation needs only the count
      auto doc = stix::ReadStixBuffer(*text, read);
      if (!doc.ok()) {
        report.readable = false;
        report.read_error = doc.error().ToString();
      } else {
        report.doc = std::move(*doc);
      }
    }
    reports.push_back(std::move(report));
  }

  size_t total_objects = 0, total_errors = 0, total_warnings = 0, valid_files = 0;
  for (const FileReport& r : reports) {
    total_objects += r.doc.object_count;
    total_errors += r.doc.CountProblems(stix::Severity::kError) + (r.readable ? 0 : 1);
    total_warnings += r.doc.CountProblems(stix::Severity::kWarning);
    valid_files += Passes(r, opt.strict) ? 1 : 0;
  }

  if (opt.json) {
    std::string out;
    core::JsonWriter w(&out, core::JsonStyle::kPretty);
    w.BeginObject().Key("files").BeginArray();
    for (const FileReport& r : reports) {
      w.BeginObject().Key("file").String(r.name);
      w.Key("valid").Bool(Passes(r, opt.strict));
      if (!r.readable) {
        w.Key("error").String(r.read_error);
      } else {
        w.Key("stix_version").String(r.doc.source_version);
        w.Key("objects").Int(static_cast<int64_t>(r.doc.object_count));
        w.Key("errors").Int(static_cast<int64_t>(r.doc.CountProblems(stix::Severity::kError)));
        w.Key("warnings").Int(static_cast<int64_t>(r.doc.CountProblems(stix::Severity::kWarning)));
        w.Key("problems").BeginArray();
        for (const stix::Problem& p : r.doc.problems) {
          if (p.severity == stix::Severity::kInfo && !opt.info) continue;
          w.BeginObject().Key("severity").String(stix::SeverityName(p.severity));
          w.Key("path").String(p.path);
          w.Key("object_index").Int(p.object_index);
          if (!p.object_id.empty()) w.Key("object_id").String(p.object_id);
          w.Key("message").String(p.message).EndObject();
        }
        w.EndArray();
      }
      w.EndObject();
    }
    w.EndArray();
    w.Key("summary").BeginObject();
    w.Key("files").Int(static_cast<int64_t>(reports.size()));
    w.Key("valid_files").Int(static_cast<int64_t>(valid_files));
    w.Key("objects").Int(static_cast<int64_t>(total_objects));
    w.Key("errors").Int(static_cast<int64_t>(total_errors));
    w.Key("warnings").Int(static_cast<int64_t>(total_warnings));
    w.EndObject().EndObject();
    std::cout << out << '\n';
  } else {
    for (const FileReport& r : reports) {
      if (!r.readable) {
        std::cout << r.name << ": error: " << r.read_error << '\n';
        continue;
      }
      if (!opt.quiet && !opt.summary) {
        for (const stix::Problem& p : r.doc.problems) {
          if (p.severity == stix::Severity::kInfo && !opt.info) continue;
          std::cout << r.name << ": " << p.ToString() << '\n';
        }
      }
      if (opt.summary) {
        std::cout << r.name << ": " << (Passes(r, opt.strict) ? "valid" : "INVALID") << ", STIX "
                  << r.doc.source_version
                  << (r.doc.source_version == "2.0" ? " (upgraded to 2.1)" : "") << ", "
                  << r.doc.object_count << " objects, "
                  << r.doc.CountProblems(stix::Severity::kError) << " errors, "
                  << r.doc.CountProblems(stix::Severity::kWarning) << " warnings\n";
      }
    }
    if (opt.summary || reports.size() > 1) {
      std::cout << "summary: " << valid_files << " of " << reports.size() << " files valid, "
                << total_objects << " objects, " << total_errors << " errors, " << total_warnings
                << " warnings\n";
    }
  }
  if (valid_files == reports.size()) return kExitOk;
  return any_unreadable ? kExitInputError : kExitInvalidData;
}

// ---- ids ----------------------------------------------------------------------

struct IdsOptions {
  std::string file = "-";
  bool json = false;
  bool explain = false;
};

int RunIds(const IdsOptions& opt) {
  size_t bad = 0;
  std::string out;
  auto status = ForEachLine(opt.file, [&](size_t line_number, std::string_view line) {
    if (line.find_first_not_of(" \t") == std::string_view::npos) return;  // blank lines
    std::string where = DisplayName(opt.file) + ":" + std::to_string(line_number);
    auto sco = core::ParseJson(line);
    if (!sco.ok()) {
      PrintError(where, sco.error().ToString());
      ++bad;
      return;
    }
    // Lines may be {"sco": {...}, ...} test vectors or bare SCOs.
    const core::Json* target = &*sco;
    if (const core::Json* inner = sco->Find("sco"); inner != nullptr && sco->Find("type") == nullptr) {
      target = inner;
    }
    auto id = stix::ComputeScoId(*target);
    if (!id.ok()) {
      PrintError(where, id.error().ToString());
      ++bad;
      return;
    }
    out.clear();
    if (opt.json) {
      core::JsonWriter w(&out);
      w.BeginObject().Key("line").Int(static_cast<int64_t>(line_number));
      w.Key("id").String(id->id).Key("deterministic").Bool(id->deterministic);
      if (opt.explain && id->deterministic) {
        auto name = stix::ScoIdName(*target);
        if (name.ok()) w.Key("name").String(*name);
      }
      w.EndObject();
    } else {
      out = id->id;
      if (opt.explain && id->deterministic) {
        auto name = stix::ScoIdName(*target);
        if (name.ok()) out += "\t" + *name;
      }
    }
    out += '\n';
    std::fwrite(out.data(), 1, out.size(), stdout);
  });
  std::fflush(stdout);
  if (!status.ok()) {
    PrintError(status.error().location, status.error().message);
    return ExitCodeFor(status.error().code);
  }
  if (bad > 0) {
    std::cerr << "tessera: " << bad << " line(s) had no id computed\n";
    return kExitInvalidData;
  }
  return kExitOk;
}

// ---- print and upgrade --------------------------------------------------------

struct PrintOptions {
  std::string file = "-";
  bool canonical = false;
  bool compact = false;
};

int RunPrint(const PrintOptions& opt) {
  auto text = ReadInput(opt.file);
  if (!text.ok()) {
    PrintError(DisplayName(opt.file), text.error().ToString());
    return ExitCodeFor(text.error().code);
  }
  auto tree = core::ParseJson(*text);
  if (!tree.ok()) {
    PrintError(DisplayName(opt.file), tree.error().ToString());
    return kExitInvalidData;
  }
  std::string out = opt.canonical ? core::CanonicalJson(*tree)
                                  : core::WriteJson(*tree, opt.compact ? core::JsonStyle::kCompact
                                                                       : core::JsonStyle::kPretty);
  out += '\n';
  std::fwrite(out.data(), 1, out.size(), stdout);
  return kExitOk;
}

struct UpgradeOptions {
  std::string file = "-";
  bool compact = false;
  bool verbose = false;
};

int RunUpgrade(const UpgradeOptions& opt) {
  std::string name = DisplayName(opt.file);
  auto text = ReadInput(opt.file);
  if (!text.ok()) {
    PrintError(name, text.error().ToString());
    return ExitCodeFor(text.error().code);
  }
  auto tree = core::ParseJson(*text);
  if (!tree.ok()) {
    PrintError(name, tree.error().ToString());
    return kExitInvalidData;
  }
  std::vector<stix::Problem> notes;
  auto status = stix::UpgradeToV21(&*tree, &notes);
  if (!status.ok()) {
    PrintError(name, status.error().ToString());
    return ExitCodeFor(status.error().code);
  }
  std::string out =
      core::WriteJson(*tree, opt.compact ? core::JsonStyle::kCompact : core::JsonStyle::kPretty);
  // Validate what we produce: an upgrade that yields invalid 2.1 says so.
  stix::ReadOptions read;
  read.keep_objects = false;
  read.upgrade_20 = false;
  auto check = stix::ReadStix(out, read);
  size_t errors = 0;
  if (check.ok()) {
    for (const stix::Problem& p : check->problems) {
      if (p.severity == stix::Severity::kError) ++errors;
      if (p.severity != stix::Severity::kInfo || opt.verbose) {
        std::cerr << name << ": " << p.ToString() << '\n';
      }
    }
  }
  if (opt.verbose) {
    for (const stix::Problem& p : notes) std::cerr << name << ": " << p.ToString() << '\n';
  }
  out += '\n';
  std::fwrite(out.data(), 1, out.size(), stdout);
  return errors == 0 ? kExitOk : kExitInvalidData;
}

}  // namespace

void RegisterStixCommands(CLI::App& app, int* exit_code) {
  CLI::App* stix = app.add_subcommand("stix", "Work with STIX 2.1 content (validate, ids, print, upgrade)");
  stix->require_subcommand(1);

  auto validate = std::make_shared<ValidateOptions>();
  CLI::App* v = stix->add_subcommand(
      "validate",
      "Validate STIX 2.1 (or 2.0, upgraded first) bundles, objects or object lists against the "
      "specification. Prints every problem with its object index, id and JSON path. Exit 0 only "
      "when every file is valid, 1 when a file is invalid, 3 when a file cannot be read.");
  v->add_option("files", validate->files, "Files to validate; '-' reads standard input")
      ->required();
  v->add_flag("--json", validate->json, "Print a JSON report instead of text lines");
  v->add_flag("--strict", validate->strict, "Treat warnings as errors");
  v->add_flag("--summary", validate->summary, "One line per file and a total, not every problem");
  v->add_flag("-q,--quiet", validate->quiet, "Print nothing per problem; rely on the exit code");
  v->add_flag("--info", validate->info, "Also print informational notes (e.g. 2.0 upgrade steps)");
  v->callback([validate, exit_code] { *exit_code = RunValidate(*validate); });

  auto ids = std::make_shared<IdsOptions>();
  CLI::App* i = stix->add_subcommand(
      "ids",
      "Print the deterministic STIX 2.1 id of each SCO read as JSON lines (one object per line, "
      "with or without 'id'; {\"sco\": {...}} lines are accepted too), one id per line in input "
      "order. A bad line is reported on stderr with its line number and the run continues; exit "
      "1 if any line failed.");
  i->add_option("file", ids->file, "JSON-lines file; '-' (default) reads standard input");
  i->add_flag("--json", ids->json, "Print one JSON object per line: line, id, deterministic");
  i->add_flag("--explain", ids->explain,
              "Also print the RFC 8785 name the UUIDv5 is computed from");
  i->callback([ids, exit_code] { *exit_code = RunIds(*ids); });

  auto print = std::make_shared<PrintOptions>();
  CLI::App* p = stix->add_subcommand(
      "print",
      "Parse a JSON document and write it back (the round trip): nothing is dropped, members keep "
      "their order. --canonical writes the RFC 8785 canonical form.");
  p->add_option("file", print->file, "Input file; '-' (default) reads standard input");
  p->add_flag("--canonical", print->canonical, "Write RFC 8785 (JCS) canonical JSON");
  p->add_flag("--compact", print->compact, "Write compact JSON instead of indented");
  p->callback([print, exit_code] { *exit_code = RunPrint(*print); });

  auto upgrade = std::make_shared<UpgradeOptions>();
  CLI::App* u = stix->add_subcommand(
      "upgrade",
      "Upgrade a STIX 2.0 document to STIX 2.1 (see docs/STIX.md) and write it to stdout. "
      "Problems that remain in the result are printed on stderr; exit 1 if any is an error.");
  u->add_option("file", upgrade->file, "Input file; '-' (default) reads standard input");
  u->add_flag("--compact", upgrade->compact, "Write compact JSON instead of indented");
  u->add_flag("-v,--verbose", upgrade->verbose, "List every change made on stderr");
  u->callback([upgrade, exit_code] { *exit_code = RunUpgrade(*upgrade); });
}

}  // namespace tessera::cli

// `tessera db`: the database itself. init and migrate write (create the schema,
// apply migrations), purge removes expired data; check, stats and runs only read.
#include "cli/db_command.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "cli/audit_command.h"
#include "cli/exit_codes.h"
#include "cli/governance_access.h"
#include "cli/store_access.h"
#include "core/json.h"
#include "governance/policy.h"
#include "store/store.h"

namespace tessera::cli {
namespace {

struct DbOptions {
  std::string db;
  bool json = false;
  size_t limit = 20;
  int64_t grace_days = 30;  // purge
  ReaderOptions reader;     // stats
};

constexpr int64_t kMaxGraceDays = 36'500;
constexpr store::Micros kMicrosPerDay = 86'400'000'000;

void WriteTime(core::JsonWriter* w, std::string_view key, store::Micros micros) {
  w->Key(key);
  if (micros == 0) {
    w->Null();
  } else {
    w->String(store::FormatMicros(micros));
  }
}

void Print(const std::string& out) { std::fwrite(out.data(), 1, out.size(), stdout); }

// "KEY  VALUE" lines with the keys padded to one width.
class Fields {
 public:
  void Add(std::string key, std::string value) {
    rows_.emplace_back(std::move(key), std::move(value));
  }
  std::string Text() const {
    size_t width = 0;
    for (const auto& [key, value] : rows_) width = std::max(width, key.size());
    std::string out;
    for (const auto& [key, value] : rows_) {
      out.append(key).append(width + 2 - key.size(), ' ').append(value).push_back('\n');
    }
    return out;
  }

 private:
  std::vector<std::pair<std::string, std::string>> rows_;
};

std::string Describe(store::Store& db) {
  auto version = db.SchemaVersion();
  std::string out(db.backend());
  if (version.ok()) out.append(", schema version ").append(std::to_string(*version));
  return out;
}

void WriteInitJson(const std::string& url, store::Store& db, bool created) {
  auto version = db.SchemaVersion();
  std::string out;
  core::JsonWriter w(&out);
  w.BeginObject().Key("database").String(DisplayUrl(url)).Key("backend").String(db.backend());
  w.Key("schema_version").Int(version.ok() ? *version : 0).Key("created").Bool(created);
  w.EndObject();
  out.push_back('\n');
  Print(out);
}

int Init(const DbOptions& opt) {
  auto existing = OpenCommandStore(opt.db, /*write=*/false);
  if (existing.ok()) {
    if (opt.json) {
      WriteInitJson(opt.db, **existing, false);
    } else {
      Print("database at " + DisplayUrl(opt.db) + " already exists (" + Describe(**existing) +
            "); nothing to do\n");
    }
    return kExitOk;
  }
  // Missing (SQLite) or without the schema (an empty PostgreSQL database): create it.
  // A database of another schema version is also opened for writing, which
  // migrates it or refuses a newer one.
  core::ErrorCode code = existing.error().code;
  if (code != core::ErrorCode::kNotFound && code != core::ErrorCode::kUnsupported) {
    return ReportStoreOpenError(existing.error());
  }
  auto created = OpenCommandStore(opt.db, /*write=*/true);
  if (!created.ok()) return ReportStoreOpenError(created.error());
  if (opt.json) {
    WriteInitJson(opt.db, **created, true);
  } else {
    Print("created the database at " + DisplayUrl(opt.db) + " (" + Describe(**created) + ")\n");
  }
  return kExitOk;
}

int Migrate(const DbOptions& opt) {
  auto opened = OpenCommandStore(opt.db, /*write=*/false, /*require_current_schema=*/false);
  if (!opened.ok()) return ReportStoreOpenError(opened.error());
  std::unique_ptr<store::Store> db = std::move(*opened);
  auto migrated = db->Migrate();  // one transaction; refuses a schema newer than ours
  if (!migrated.ok()) return ReportStoreOpenError(migrated.error());
  int applied = *migrated;
  auto version = db->SchemaVersion();
  if (!version.ok()) return ReportStoreOpenError(version.error());
  if (opt.json) {
    std::string out;
    core::JsonWriter w(&out);
    w.BeginObject().Key("database").String(DisplayUrl(opt.db)).Key("schema_version").Int(*version);
    w.Key("applied").Int(applied);
    w.Key("migrated").Bool(applied != 0).EndObject();
    out.push_back('\n');
    Print(out);
  } else if (applied == 0) {
    Print("schema version " + std::to_string(*version) + " is current; no migrations applied\n");
  } else {
    Print("applied " + std::to_string(applied) + " migration" + (applied == 1 ? "" : "s") +
          "; schema version " + std::to_string(*version) + '\n');
  }
  return kExitOk;
}

int Check(const DbOptions& opt) {
  // Any schema version opens: an outdated one is a finding of the check.
  auto opened = OpenCommandStore(opt.db, /*write=*/false, /*require_current_schema=*/false);
  if (!opened.ok()) return ReportStoreOpenError(opened.error());
  auto found = (*opened)->Check();
  if (!found.ok()) return ReportStoreOpenError(found.error());
  std::vector<std::string> problems = std::move(*found);
  std::string out;
  if (opt.json) {
    core::JsonWriter w(&out);
    w.BeginObject().Key("database").String(DisplayUrl(opt.db)).Key("ok").Bool(problems.empty());
    w.Key("problems").BeginArray();
    for (const std::string& p : problems) w.String(p);
    w.EndArray().EndObject();
    out.push_back('\n');
  } else if (problems.empty()) {
    out = "ok: no problems found\n";
  } else {
    for (const std::string& p : problems) out.append("problem: ").append(p).push_back('\n');
    out.append(std::to_string(problems.size()))
        .append(problems.size() == 1 ? " problem\n" : " problems\n");
  }
  Print(out);
  return problems.empty() ? kExitOk : kExitInvalidData;
}

int Stats(const DbOptions& opt) {
  auto opened = OpenCommandStore(opt.db, /*write=*/false);
  if (!opened.ok()) return ReportStoreOpenError(opened.error());
  auto policy = OpenPolicy(**opened);
  if (!policy.ok()) return ReportStoreOpenError(policy.error());
  auto reader = ResolveReader(**policy, opt.reader);
  if (!reader.ok()) {
    std::cerr << "tessera: " << reader.error().ToString() << '\n';
    return ExitCodeFor(reader.error().code);
  }
  auto stats = (*policy)->Stats(*reader);
  if (!stats.ok()) {
    std::cerr << "tessera: " << stats.error().ToString() << '\n';
    return ExitCodeFor(stats.error().code);
  }
  const store::StoreStats& s = *stats;
  std::string out;
  if (opt.json) {
    core::JsonWriter w(&out);
    w.BeginObject().Key("database").String(DisplayUrl(opt.db)).Key("backend").String(s.backend);
    w.Key("schema_version").Int(s.schema_version);
    w.Key("objects").Int(static_cast<int64_t>(s.objects));
    w.Key("objects_by_type").BeginObject();
    for (const auto& [type, n] : s.objects_by_type) w.Key(type).Int(static_cast<int64_t>(n));
    w.EndObject();
    w.Key("merged").Int(static_cast<int64_t>(s.merged));
    w.Key("versions").Int(static_cast<int64_t>(s.versions));
    w.Key("provenance").Int(static_cast<int64_t>(s.provenance));
    w.Key("partners").Int(static_cast<int64_t>(s.partners));
    w.Key("quarantined").Int(static_cast<int64_t>(s.quarantined));
    w.Key("runs").Int(static_cast<int64_t>(s.runs));
    w.Key("warninglisted").Int(static_cast<int64_t>(s.warninglisted));
    w.EndObject();
    out.push_back('\n');
  } else {
    Fields f;
    f.Add("database", DisplayUrl(opt.db));
    f.Add("backend", s.backend);
    f.Add("schema version", std::to_string(s.schema_version));
    f.Add("objects", Thousands(s.objects));
    for (const auto& [type, n] : s.objects_by_type) f.Add("  " + type, Thousands(n));
    f.Add("merged ids", Thousands(s.merged));
    f.Add("versions", Thousands(s.versions));
    f.Add("provenance records", Thousands(s.provenance));
    f.Add("partners", Thousands(s.partners));
    f.Add("warninglisted", Thousands(s.warninglisted));
    f.Add("quarantined", Thousands(s.quarantined));
    f.Add("ingest runs", Thousands(s.runs));
    out = f.Text();
  }
  Print(out);
  return kExitOk;
}

std::string Seconds(const store::IngestRun& run) {
  if (run.finished == 0) return "-";
  char text[32];
  std::snprintf(text, sizeof text, "%.1f s", static_cast<double>(run.finished - run.started) / 1e6);
  return text;
}

int Runs(const DbOptions& opt) {
  auto opened = OpenCommandStore(opt.db, /*write=*/false);
  if (!opened.ok()) return ReportStoreOpenError(opened.error());
  auto runs = (*opened)->Runs(opt.limit);
  if (!runs.ok()) return ReportStoreOpenError(runs.error());
  std::string out;
  if (opt.json) {
    core::JsonWriter w(&out);
    w.BeginArray();
    for (const store::IngestRun& r : *runs) {
      w.BeginObject().Key("id").Int(r.id).Key("partner").String(r.partner);
      w.Key("source").String(r.source).Key("format").String(r.format);
      WriteTime(&w, "started", r.started);
      WriteTime(&w, "finished", r.finished);
      w.Key("status").String(r.status);
      w.Key("records").Int(static_cast<int64_t>(r.records));
      w.Key("bytes").Int(static_cast<int64_t>(r.bytes));
      w.Key("new").Int(static_cast<int64_t>(r.stats.new_objects));
      w.Key("updated").Int(static_cast<int64_t>(r.stats.updated));
      w.Key("duplicates").Int(static_cast<int64_t>(r.stats.duplicates));
      w.Key("merged").Int(static_cast<int64_t>(r.stats.merged));
      w.Key("quarantined").Int(static_cast<int64_t>(r.stats.quarantined));
      w.Key("errors").Int(static_cast<int64_t>(r.errors));
      w.Key("message").String(r.message);
      w.EndObject();
    }
    w.EndArray();
    out.push_back('\n');
  } else {
    // Fixed columns, the free-form source last.
    char line[256];
    std::snprintf(line, sizeof line, "%6s  %-7s  %-16s  %-27s  %8s  %9s  %9s  %9s  %9s  %11s  %s\n",
                  "RUN", "STATUS", "PARTNER", "STARTED", "TIME", "RECORDS", "NEW", "UPDATED",
                  "DUPLICATE", "QUARANTINED", "SOURCE");
    out.append(line);
    for (const store::IngestRun& r : *runs) {
      std::snprintf(line, sizeof line, "%6lld  %-7s  %-16s  %-27s  %8s  %9s  %9s  %9s  %9s  %11s  ",
                    static_cast<long long>(r.id), r.status.c_str(),  // NOLINT(runtime/int)
                    r.partner.c_str(), TimeText(r.started).c_str(), Seconds(r).c_str(),
                    Thousands(r.records).c_str(), Thousands(r.stats.new_objects).c_str(),
                    Thousands(r.stats.updated).c_str(), Thousands(r.stats.duplicates).c_str(),
                    Thousands(r.stats.quarantined).c_str());
      out.append(line).append(r.source).push_back('\n');
      if (!r.message.empty()) out.append("        error: ").append(r.message).push_back('\n');
    }
  }
  Print(out);
  return kExitOk;
}

int Purge(const DbOptions& opt) {
  auto opened = OpenCommandStore(opt.db, /*write=*/false);
  if (!opened.ok()) return ReportStoreOpenError(opened.error());
  auto policy = OpenPolicy(**opened);
  if (!policy.ok()) {
    std::cerr << "tessera: " << policy.error().ToString() << '\n';
    return ExitCodeFor(policy.error().code);
  }
  store::Micros cutoff = NowMicros() - opt.grace_days * kMicrosPerDay;
  auto purged = (*opened)->Purge(cutoff);
  if (!purged.ok()) {
    std::cerr << "tessera: " << purged.error().ToString() << '\n';
    return ExitCodeFor(purged.error().code);
  }
  const store::PurgeStats& p = *purged;
  std::string details;
  {
    core::JsonWriter w(&details);
    w.BeginObject().Key("cutoff").String(store::FormatMicros(cutoff));
    w.Key("grace_days").Int(opt.grace_days);
    w.Key("reports").Int(static_cast<int64_t>(p.reports));
    w.Key("objects").Int(static_cast<int64_t>(p.objects));
    w.Key("versions").Int(static_cast<int64_t>(p.versions)).EndObject();
  }
  if (int code = AuditChange(**policy, "db.purge", "database", details); code != kExitOk) {
    return code;
  }
  std::string out;
  if (opt.json) {
    core::JsonWriter w(&out);
    w.BeginObject().Key("database").String(DisplayUrl(opt.db));
    w.Key("cutoff").String(store::FormatMicros(cutoff)).Key("grace_days").Int(opt.grace_days);
    w.Key("reports").Int(static_cast<int64_t>(p.reports));
    w.Key("objects").Int(static_cast<int64_t>(p.objects));
    w.Key("versions").Int(static_cast<int64_t>(p.versions)).EndObject();
    out.push_back('\n');
  } else {
    out = "purged ";
    out.append(Thousands(p.reports)).append(p.reports == 1 ? " report, " : " reports, ");
    out.append(Thousands(p.objects)).append(p.objects == 1 ? " object, " : " objects, ");
    out.append(Thousands(p.versions)).append(p.versions == 1 ? " version" : " versions");
    out.append(" (expired at or before ").append(store::FormatMicros(cutoff)).append(")\n");
  }
  Print(out);
  return kExitOk;
}

CLI::App* AddDbSubcommand(CLI::App* db, const char* name, const char* help,
                          std::shared_ptr<DbOptions> opt, const char* json_help) {
  CLI::App* cmd = db->add_subcommand(name, help);
  AddDbOption(cmd, &opt->db);
  cmd->add_flag("--json", opt->json, json_help);
  return cmd;
}

}  // namespace

int ReportStoreOpenError(const core::Error& error) {
  std::cerr << "tessera: " << error.ToString() << '\n';
  switch (error.code) {
    case core::ErrorCode::kInvalidArgument:
      return kExitUsage;
    case core::ErrorCode::kInternal:
      return kExitInternal;
    default:
      return kExitInputError;
  }
}

std::string SourcePlace(const std::string& file, const std::string& position) {
  if (file.empty() || position.starts_with(file)) return position;
  if (position.empty()) return file;
  std::string place = file;
  char first = position.front();
  if (first != ':' && first != '@' && first != ' ') place.push_back('/');  // a file in a folder
  return place.append(position);
}

void RegisterDbCommand(CLI::App& app, int* exit_code) {
  CLI::App* db = app.add_subcommand(
      "db",
      "The database: create it (init), upgrade its schema (migrate), check its integrity "
      "(check), count what it holds (stats), list ingest runs (runs), remove expired data "
      "(purge). --db takes a file path, "
      "sqlite:PATH or postgresql://...; the default is $TESSERA_DB, else "
      "~/.local/share/tessera/tessera.db. Exit 3 when the database is missing or cannot be "
      "opened.");
  db->require_subcommand(1);

  auto init = std::make_shared<DbOptions>();
  AddDbSubcommand(db, "init",
                  "Create the database and its schema. A database that exists already is left "
                  "as it is (and said so). Exit 0 when the database is ready, 3 when it cannot "
                  "be created.",
                  init, "Print {database, backend, schema_version, created} as JSON")
      ->callback([init, exit_code] { *exit_code = Init(*init); });

  auto migrate = std::make_shared<DbOptions>();
  AddDbSubcommand(db, "migrate",
                  "Apply the schema migrations this tessera has and the database lacks, in one "
                  "transaction, and say so with the schema version reached ('no migrations "
                  "applied' when it was current). A database newer than this tessera is refused. "
                  "Exit 0 when the schema is current, 3 when the database is missing or cannot be "
                  "migrated.",
                  migrate, "Print {database, schema_version, applied, migrated} as JSON")
      ->callback([migrate, exit_code] { *exit_code = Migrate(*migrate); });

  auto check = std::make_shared<DbOptions>();
  AddDbSubcommand(db, "check",
                  "Check the database: the engine's own integrity check (SQLite PRAGMA "
                  "integrity_check), the schema version, and the store's invariants (every "
                  "object has its latest version and provenance, indexes point at existing "
                  "objects). Problems are listed on stdout. Exit 0 when clean, 1 when problems "
                  "were found, 3 when the database is missing or cannot be opened.",
                  check, "Print {database, ok, problems: [...]} as JSON")
      ->callback([check, exit_code] { *exit_code = Check(*check); });

  auto stats = std::make_shared<DbOptions>();
  AddDbSubcommand(db, "stats",
                  "Count what the database holds: objects (by type), ids merged into other "
                  "objects, versions, provenance records, partners, warninglisted objects, "
                  "quarantined records, ingest runs; with the backend and schema version. With "
                  "--as or --token, what that partner sees: the objects and reports visible to "
                  "it, and its own quarantine and runs. Exit 0, 3 when the database is missing "
                  "or cannot be opened, 5 when a token is refused.",
                  stats,
                  "Print {database, backend, schema_version, objects, objects_by_type, merged, "
                  "versions, provenance, partners, quarantined, runs, warninglisted} as JSON")
      ->callback([stats, exit_code] { *exit_code = Stats(*stats); });
  AddReaderOptions(db->get_subcommand("stats"), &stats->reader);

  auto runs = std::make_shared<DbOptions>();
  CLI::App* runs_cmd = AddDbSubcommand(
      db, "runs",
      "List ingest runs, newest first: partner, status (running, done, failed; a run still "
      "'running' with no process is one that was killed), start, duration, records and what "
      "they changed, source. Exit 0, or 3 when the database is missing or cannot be opened.",
      runs,
      "Print a JSON array: id, partner, source, format, started, finished, status, records, "
      "bytes, new, updated, duplicates, merged, quarantined, errors, message");
  runs_cmd->add_option("--limit", runs->limit, "At most this many runs (default 20)")
      ->check(CLI::Range(size_t{1}, store::kMaxPageSize));
  runs_cmd->callback([runs, exit_code] { *exit_code = Runs(*runs); });

  auto purge = std::make_shared<DbOptions>();
  CLI::App* purge_cmd = AddDbSubcommand(
      db, "purge",
      "Remove expired data: reports (provenance records) whose expiry passed more than --grace "
      "days ago, then every object no report keeps or whose valid_until passed by then, with "
      "its versions. Prints what was removed; audited as db.purge with the counts. Exit 0, or "
      "3 when the database is missing or cannot be opened.",
      purge, "Print {database, cutoff, grace_days, reports, objects, versions} as JSON");
  purge_cmd
      ->add_option("--grace", purge->grace_days,
                   "Keep expired data this many more days (0 to 36500; default 30)")
      ->check(CLI::Range(int64_t{0}, kMaxGraceDays));
  purge_cmd->callback([purge, exit_code] { *exit_code = Purge(*purge); });
}

}  // namespace tessera::cli

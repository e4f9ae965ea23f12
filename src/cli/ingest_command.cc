#include "cli/ingest_command.h"

#include <CLI/CLI.hpp>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "cli/batch_builder.h"
#include "cli/exit_codes.h"
#include "cli/governance_access.h"
#include "cli/store_access.h"
#include "core/json.h"
#include "core/time.h"
#include "formats/input.h"
#include "formats/registry.h"
#include "warninglists/warninglist.h"

namespace tessera::cli {
namespace {

using Clock = std::chrono::steady_clock;

struct IngestOptions {
  std::string partner;
  std::string from = "auto";
  std::string tlp;
  std::vector<std::string> communities;
  std::vector<std::string> recipients;
  std::string db;
  std::vector<std::string> reader_options;
  std::vector<std::string> warninglists;
  bool no_warninglists = false;
  size_t batch_size = 50000;
  bool json = false;
  bool quiet = false;
  bool verbose = false;
  bool log_commits = false;
  bool personal_data = false;
  double progress_interval = 5;
  std::vector<std::string> files;
};

std::string Bytes(uint64_t n) {
  char text[32];
  if (n >= (uint64_t{1} << 30)) {
    std::snprintf(text, sizeof text, "%.2f GiB", static_cast<double>(n) / (1 << 30));
  } else if (n >= (uint64_t{1} << 20)) {
    std::snprintf(text, sizeof text, "%.1f MiB", static_cast<double>(n) / (1 << 20));
  } else {
    std::snprintf(text, sizeof text, "%.1f KiB", static_cast<double>(n) / 1024);
  }
  return text;
}

std::string Duration(double seconds) {
  auto s = static_cast<long long>(seconds + 0.5);  // NOLINT(runtime/int)
  char text[32];
  std::snprintf(text, sizeof text, "%lld:%02lld:%02lld", s / 3600, s / 60 % 60, s % 60);
  return text;
}

// Progress on stderr: a bar redrawn in place on a terminal (bytes, records,
// objects, rate, ETA), a plain line every few seconds otherwise.
class Progress {
 public:
  Progress(bool enabled, double interval_seconds, uint64_t total_bytes)
      : enabled_(enabled),
        terminal_(::isatty(STDERR_FILENO) == 1),
        interval_(terminal_ ? 0.2 : interval_seconds),
        total_bytes_(total_bytes),
        start_(Clock::now()),
        last_(start_) {}

  // `bytes`: read so far over all inputs.
  void Update(uint64_t bytes, uint64_t records, uint64_t objects) {
    if (!enabled_) return;
    auto now = Clock::now();
    if (std::chrono::duration<double>(now - last_).count() < interval_) return;
    last_ = now;
    Print(bytes, records, objects, false);
  }

  // Clears the bar before the summary.
  void Done() {
    if (enabled_ && terminal_ && drawn_) std::fputs("\r\033[K", stderr);
  }

 private:
  void Print(uint64_t bytes, uint64_t records, uint64_t objects, bool) {
    double elapsed = std::chrono::duration<double>(Clock::now() - start_).count();
    double rate = elapsed > 0 ? static_cast<double>(objects) / elapsed : 0;
    std::string line;
    if (total_bytes_ > 0) {
      double fraction = std::min(1.0, static_cast<double>(bytes) / static_cast<double>(total_bytes_));
      if (terminal_) {
        constexpr int kWidth = 24;
        int filled = static_cast<int>(fraction * kWidth);
        line.append("[").append(std::string(filled, '#')).append(std::string(kWidth - filled, ' '))
            .append("] ");
      }
      char percent[16];
      std::snprintf(percent, sizeof percent, "%3.0f%% ", fraction * 100);
      line.append(percent).append(Bytes(bytes)).append("/").append(Bytes(total_bytes_));
      double eta = fraction > 0 ? elapsed * (1 - fraction) / fraction : 0;
      line.append("  ").append(Thousands(records)).append(" records  ")
          .append(Thousands(objects)).append(" objects  ")
          .append(Thousands(static_cast<uint64_t>(rate))).append(" obj/s  ETA ")
          .append(Duration(eta));
    } else {
      line.append(Bytes(bytes)).append("  ").append(Thousands(records)).append(" records  ")
          .append(Thousands(objects)).append(" objects  ")
          .append(Thousands(static_cast<uint64_t>(rate))).append(" obj/s  ")
          .append(Duration(elapsed));
    }
    if (terminal_) {
      std::fprintf(stderr, "\r\033[K%s", line.c_str());
      drawn_ = true;
    } else {
      std::fprintf(stderr, "tessera ingest: %s\n", line.c_str());
    }
    std::fflush(stderr);
  }

  bool enabled_;
  bool terminal_;
  double interval_;
  uint64_t total_bytes_;
  Clock::time_point start_;
  Clock::time_point last_;
  bool drawn_ = false;
};

uint64_t FileSize(const std::string& path) {
  struct stat st {};
  if (path == "-" || ::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return 0;
  return static_cast<uint64_t>(st.st_size);
}

void WriteSummaryJson(const store::IngestRun& run, double seconds, const std::string& db,
                      const SharingNotes& notes) {
  std::string out;
  core::JsonWriter w(&out);
  w.BeginObject()
      .Key("run").Int(run.id)
      .Key("partner").String(run.partner)
      .Key("database").String(DisplayUrl(db))
      .Key("status").String(run.status)
      .Key("records").Int(static_cast<int64_t>(run.records))
      .Key("objects").Int(static_cast<int64_t>(run.stats.new_objects + run.stats.updated +
                                                run.stats.duplicates))
      .Key("new").Int(static_cast<int64_t>(run.stats.new_objects))
      .Key("updated").Int(static_cast<int64_t>(run.stats.updated))
      .Key("duplicates").Int(static_cast<int64_t>(run.stats.duplicates))
      .Key("merged").Int(static_cast<int64_t>(run.stats.merged))
      .Key("quarantined").Int(static_cast<int64_t>(run.stats.quarantined))
      .Key("bytes").Int(static_cast<int64_t>(run.bytes))
      .Key("seconds").Double(seconds);
  if (!run.message.empty()) w.Key("error").String(run.message);
  w.Key("sharing_notes").BeginArray();
  for (const auto& [note, objects] : notes) {
    w.BeginObject().Key("note").String(note).Key("objects").Int(static_cast<int64_t>(objects));
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  out.push_back('\n');
  std::fwrite(out.data(), 1, out.size(), stdout);
}

void WriteSummaryText(const store::IngestRun& run, double seconds) {
  uint64_t objects = run.stats.new_objects + run.stats.updated + run.stats.duplicates;
  char rate[64];
  std::snprintf(rate, sizeof rate, "%.2f s (%s objects/s)", seconds,
                Thousands(static_cast<uint64_t>(seconds > 0 ? static_cast<double>(objects) / seconds
                                                            : 0))
                    .c_str());
  std::cerr << "tessera ingest: run " << run.id << " " << run.status << ": "
            << Thousands(run.records) << " records, " << Thousands(objects) << " objects: "
            << Thousands(run.stats.new_objects) << " new, " << Thousands(run.stats.updated)
            << " updated, " << Thousands(run.stats.duplicates) << " duplicates ("
            << Thousands(run.stats.merged) << " merged), " << Thousands(run.stats.quarantined)
            << " quarantined; " << rate << '\n';
  if (run.stats.quarantined > 0) {
    std::cerr << "tessera ingest: see them with 'tessera quarantine list --run " << run.id
              << "'\n";
  }
}

int RunIngest(const IngestOptions& opt) {
  if (opt.partner.empty()) {
    std::cerr << "tessera: --partner is required\n";
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

  warninglists::WarninglistSet lists;
  if (!opt.no_warninglists) lists.AddBuiltins();
  for (const std::string& path : opt.warninglists) {
    if (auto s = lists.AddPath(path); !s.ok()) {
      std::cerr << "tessera: " << s.error().ToString() << '\n';
      return ExitCodeFor(s.error().code);
    }
  }
  lists.Compile();
  WarninglistMatcher matcher;
  if (!lists.Lists().empty()) {
    matcher = [&lists](const stix::StixObject& object) {
      std::vector<store::WarninglistHit> hits;
      for (const warninglists::ObjectHit& h : lists.Match(object)) {
        hits.push_back({h.hit.list, h.hit.reason});
      }
      return hits;
    };
  }

  std::vector<std::string> files = opt.files.empty() ? std::vector<std::string>{"-"} : opt.files;
  // Reader options are checked against every file's format before anything is
  // stored (standard input and URLs are checked when they are read).
  if (!context.options.empty()) {
    for (const std::string& path : files) {
      if (path == "-") continue;
      auto input = formats::Input::Open(path);
      if (!input.ok() || input->is_url()) continue;  // reported when read
      const formats::Format* format = formats::FindFormat(opt.from);
      if (opt.from == "auto") {
        auto detected = formats::DetectFormat(*input);
        if (!detected.ok()) continue;  // reported when read
        format = detected->format;
      }
      if (auto s = formats::CheckOptions(context, *format); !s.ok()) {
        std::cerr << "tessera: " << input->name() << " (" << format->name
                  << "): " << s.error().ToString() << '\n';
        return kExitUsage;
      }
    }
  }

  auto opened = OpenCommandStore(opt.db, /*write=*/true);
  if (!opened.ok()) {
    std::cerr << "tessera: " << opened.error().ToString() << '\n';
    return ExitCodeFor(opened.error().code);
  }
  store::Store& db = **opened;
  auto policy = OpenPolicy(db);
  if (!policy.ok()) {
    std::cerr << "tessera: " << policy.error().ToString() << '\n';
    return ExitCodeFor(policy.error().code);
  }
  store::SharingRequest sharing;
  sharing.tlp = opt.tlp;
  sharing.communities = opt.communities;
  sharing.recipients = opt.recipients;
  if (auto s = CheckSharingTargets(**policy, sharing); !s.ok()) {
    std::cerr << "tessera: " << s.error().ToString() << '\n';
    return ExitCodeFor(s.error().code);
  }
  auto known = (*policy)->registry().GetPartner(opt.partner);
  if (!known.ok()) {
    std::cerr << "tessera: " << known.error().ToString() << '\n';
    return ExitCodeFor(known.error().code);
  }
  if (!*known && !opt.quiet) {
    std::cerr << "tessera ingest: note: partner '" << opt.partner
              << "' is not registered: its data gets the hub defaults (TLP:AMBER unless "
                 "marked, seen by it alone unless --tlp clear or --community); register it "
                 "with 'tessera partner add'\n";
  }
  SharingNotes notes;
  SharingDecider decide = MakeSharingDecider(**policy, opt.partner, opt.personal_data, &notes);

  uint64_t total_bytes = 0;
  for (const std::string& f : files) total_bytes += FileSize(f);

  store::IngestRun run;
  run.partner = opt.partner;
  for (const std::string& f : files) {
    if (!run.source.empty()) run.source.push_back(' ');
    run.source.append(f == "-" ? "<stdin>" : f);
  }
  run.format = opt.from;
  run.started = NowMicros();
  auto run_id = db.BeginRun(run);
  if (!run_id.ok()) {
    std::cerr << "tessera: " << run_id.error().ToString() << '\n';
    return ExitCodeFor(run_id.error().code);
  }
  run.id = *run_id;

  auto start = Clock::now();
  Progress progress(!opt.quiet, opt.progress_interval, total_bytes);
  int exit_code = kExitOk;
  uint64_t bytes_before = 0;  // bytes of the inputs already finished
  uint64_t batches = 0;       // committed
  std::vector<std::string> formats_used;
  for (const std::string& path : files) {
    auto input = formats::Input::Open(path);
    if (!input.ok()) {
      run.message = input.error().ToString();
      exit_code = ExitCodeFor(input.error().code);
      break;
    }
    const formats::Format* format = nullptr;
    if (opt.from == "auto") {
      auto detected = formats::DetectFormat(*input);
      if (!detected.ok()) {
        run.message = input->name() + ": " + detected.error().message + " (name the format with --from)";
        exit_code = kExitInvalidData;
        break;
      }
      format = detected->format;
      if (opt.verbose) {
        std::cerr << input->name() << ": reading as " << format->name << ": "
                  << detected->detection.reason << '\n';
      }
    } else {
      format = formats::FindFormat(opt.from);
    }
    formats_used.push_back(format->name);

    store::Source source;
    source.partner = opt.partner;
    source.format = format->name;
    source.file = input->name();
    source.run_id = run.id;
    source.received = NowMicros();
    formats::Input* current = &*input;
    uint64_t records_before = run.records;
    BatchBuilder* builder_ptr = nullptr;
    BatchBuilder builder(source, sharing, matcher, opt.batch_size,
                         [&](store::Batch& batch) -> core::Status {
                           auto stats = db.Put(batch);
                           if (!stats.ok()) return stats.error();
                           run.stats += *stats;
                           ++batches;
                           if (opt.log_commits) {
                             const std::string& last = batch.objects.empty()
                                                           ? batch.rejected.back().position
                                                           : batch.objects.back().position;
                             std::fprintf(stderr,
                                          "tessera ingest: committed batch %llu: %zu objects, "
                                          "%zu rejected, through %s%s\n",
                                          static_cast<unsigned long long>(batches),  // NOLINT
                                          batch.objects.size(), batch.rejected.size(),
                                          batch.source.file.c_str(), last.c_str());
                           }
                           progress.Update(bytes_before + current->offset(),
                                           records_before + builder_ptr->records(),
                                           run.stats.new_objects + run.stats.updated +
                                               run.stats.duplicates);
                           return {};
                         },
                         decide);
    builder_ptr = &builder;
    core::Status read = format->read(*input, context, builder);
    core::Status stored = builder.Finish();
    run.records += builder.records();
    bytes_before += input->offset();
    if (!stored.ok()) {
      run.message = stored.error().ToString();
      exit_code = ExitCodeFor(stored.error().code);
      break;
    }
    if (!read.ok()) {
      run.message = (read.error().location.empty() ? input->name() + ": " : std::string())
                        .append(read.error().ToString());
      exit_code = ExitCodeFor(read.error().code);
      break;
    }
  }
  progress.Done();
  double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  run.finished = NowMicros();
  run.bytes = bytes_before;
  run.status = exit_code == kExitOk ? "done" : "failed";
  run.errors = exit_code == kExitOk ? 0 : 1;
  if (!formats_used.empty()) {
    run.format.clear();
    for (const std::string& f : formats_used) {
      if (run.format.find(f) == std::string::npos) {
        if (!run.format.empty()) run.format.push_back(',');
        run.format.append(f);
      }
    }
  }
  if (auto s = db.FinishRun(run); !s.ok()) {
    std::cerr << "tessera: " << s.error().ToString() << '\n';
    if (exit_code == kExitOk) exit_code = ExitCodeFor(s.error().code);
  }
  if (!run.message.empty()) std::cerr << "tessera: " << run.message << '\n';
  if (!opt.quiet) PrintSharingNotes(notes, "tessera ingest");
  std::string details = R"({"run":)";
  details.append(std::to_string(run.id))
      .append(R"(,"status":")").append(run.status)
      .append(R"(","new":)").append(std::to_string(run.stats.new_objects))
      .append(R"(,"updated":)").append(std::to_string(run.stats.updated))
      .append(R"(,"duplicates":)").append(std::to_string(run.stats.duplicates))
      .append(R"(,"quarantined":)").append(std::to_string(run.stats.quarantined))
      .append("}");
  if (auto logged = (*policy)->audit().Append("operator", "ingest.run",
                                              std::string("partner:").append(opt.partner),
                                              details);
      !logged.ok()) {
    std::cerr << "tessera: audit log: " << logged.error().ToString() << '\n';
    if (exit_code == kExitOk) exit_code = ExitCodeFor(logged.error().code);
  }
  if (opt.json) WriteSummaryJson(run, seconds, opt.db, notes);
  if (!opt.json || !opt.quiet) WriteSummaryText(run, seconds);
  if (exit_code == kExitOk && run.stats.quarantined > 0) exit_code = kExitInvalidData;
  return exit_code;
}

}  // namespace

void RegisterIngestCommand(CLI::App& app, int* exit_code) {
  auto opt = std::make_shared<IngestOptions>();
  CLI::App* cmd = app.add_subcommand(
      "ingest",
      "Store partner data in the database, as one partner: every format of 'tessera formats' "
      "(detected from the content, or named with --from), deduplicated against what is stored "
      "(docs/STORE.md), with provenance (partner, file, position, run) and the sharing request "
      "(--tlp, --community, --recipient) on which governance decides who may read each object "
      "(docs/GOVERNANCE.md). Records that cannot be read are quarantined with "
      "their bytes and reason ('tessera quarantine'). Observables on a warninglist are flagged, "
      "not dropped. Batches are committed one transaction each: a run that is interrupted "
      "keeps every committed batch, and running it again completes it without duplicates. "
      "Progress goes to stderr (a bar on a terminal, a line every few seconds otherwise), then "
      "a summary. Exit 0 when everything was stored, 1 when records were quarantined or the "
      "input is not in the format, 2 usage error, 3 an input or the database could not be "
      "read or written.");
  cmd->add_option("files", opt->files, "Input files, folders (MISP feeds) or URLs; '-' or none "
                                       "reads standard input");
  cmd->add_option("--partner", opt->partner, "The contributing partner (required)")->required();
  std::vector<std::string> format_names = {"auto"};
  for (const formats::Format& f : formats::AllFormats()) format_names.push_back(f.name);
  cmd->add_option("--from", opt->from,
                  "Input format: auto (default; -v says which was detected and why) or a name "
                  "from 'tessera formats'")
      ->check(CLI::IsMember(format_names));
  cmd->add_option("-o,--option", opt->reader_options, "KEY=VALUE option for the reader (repeatable)")
      ->allow_extra_args(false);
  cmd->add_option("--tlp", opt->tlp,
                  "TLP 2.0 level the partner shares this at: clear, green, amber, amber+strict, "
                  "red (red needs --recipient)");
  cmd->add_option("--community", opt->communities, "Community shared with (repeatable)")
      ->allow_extra_args(false);
  cmd->add_option("--recipient", opt->recipients, "Partner named as a recipient (repeatable)")
      ->allow_extra_args(false);
  AddDbOption(cmd, &opt->db);
  cmd->add_option("--warninglist", opt->warninglists,
                  "A MISP warninglist file or folder to flag against, besides the built-in lists "
                  "(repeatable)")
      ->allow_extra_args(false);
  cmd->add_flag("--no-warninglists", opt->no_warninglists,
                "Do not use the built-in warninglists");
  cmd->add_option("--batch-size", opt->batch_size,
                  "Objects and rejected records per transaction (default 50000)")
      ->check(CLI::Range(size_t{1}, size_t{1'000'000}));
  cmd->add_option("--progress-interval", opt->progress_interval,
                  "Seconds between progress lines when stderr is not a terminal (default 5)")
      ->check(CLI::PositiveNumber);
  cmd->add_flag("--personal-data", opt->personal_data,
                "Mark every object of this input as personal data: readers not entitled to "
                "it see keyed hashes instead of the values (docs/GOVERNANCE.md)");
  cmd->add_flag("--log-commits", opt->log_commits,
                "Print a line on stderr after each committed batch (what a crash keeps)");
  cmd->add_flag("--json", opt->json, "Print the summary as JSON on stdout: {run, partner, database, status, records, objects, new, updated, duplicates, merged, quarantined, bytes, seconds, error (on failure), sharing_notes: [{note, objects}]}");
  cmd->add_flag("-q,--quiet", opt->quiet, "No progress (with --json: no text summary either)");
  cmd->add_flag("-v,--verbose", opt->verbose, "Say which format was detected and why");
  cmd->callback([opt, exit_code] { *exit_code = RunIngest(*opt); });
}

}  // namespace tessera::cli

// `tessera query` and `tessera show`: reading the store back. query streams
// page by page (with --all, memory holds one page); show gathers one object's
// versions, provenance and aggregates.
#include "cli/query_command.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cli/db_command.h"
#include "cli/exit_codes.h"
#include "cli/governance_access.h"
#include "cli/store_access.h"
#include "core/json.h"
#include "normalize/classify.h"
#include "stix/tlp.h"
#include "store/store.h"

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

// Display columns of UTF-8 text (one per code point).
size_t Columns(std::string_view text) {
  size_t n = 0;
  for (char c : text) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
  return n;
}

// At most `max` columns, cut on a code point boundary, "..." marking the cut.
std::string Shorten(std::string_view text, size_t max) {
  if (Columns(text) <= max) return std::string(text);
  size_t keep = 0, columns = 0;
  while (keep < text.size()) {
    size_t next = keep + 1;
    while (next < text.size() && (static_cast<unsigned char>(text[next]) & 0xC0) == 0x80) ++next;
    if (columns + 1 > max - 3) break;
    keep = next;
    ++columns;
  }
  std::string out(text.substr(0, keep));
  out.append("...");
  return out;
}

void Pad(std::string_view text, size_t width, std::string* out) {
  out->append(text);
  size_t columns = Columns(text);
  if (columns < width) out->append(width - columns, ' ');
}

void WriteTime(core::JsonWriter* w, std::string_view key, store::Micros micros) {
  w->Key(key);
  if (micros == 0) {
    w->Null();
  } else {
    w->String(store::FormatMicros(micros));
  }
}

const std::string* StringMember(const core::Json& object, std::string_view key) {
  const core::Json* value = object.Find(key);
  return value != nullptr && value->is_string() ? &value->as_string() : nullptr;
}

// What names an object in one line: an SCO's value (or hash, number, path), an
// SDO's name, an indicator's name or pattern, a relationship's ends.
std::string ShortDescription(const core::Json& object) {
  for (std::string_view key : {"value", "name"}) {
    if (const std::string* v = StringMember(object, key)) return *v;
  }
  if (const core::Json* hashes = object.Find("hashes"); hashes != nullptr && hashes->is_object()) {
    const auto& members = hashes->as_object();
    for (const auto& [algorithm, hash] : members) {
      if (algorithm == "SHA-256" && hash.is_string()) return "SHA-256 " + hash.as_string();
    }
    for (const auto& [algorithm, hash] : members) {
      if (hash.is_string()) return std::string(algorithm).append(" ").append(hash.as_string());
    }
  }
  if (const core::Json* number = object.Find("number"); number != nullptr) {
    int64_t n = 0;
    if (number->GetInt64(&n)) return "AS" + std::to_string(n);
  }
  if (const std::string* pattern = StringMember(object, "pattern")) return *pattern;
  const std::string* rel = StringMember(object, "relationship_type");
  const std::string* source = StringMember(object, "source_ref");
  const std::string* target = StringMember(object, "target_ref");
  if (rel != nullptr && source != nullptr && target != nullptr) {
    return std::string(*source).append(" ").append(*rel).append(" ").append(*target);
  }
  if (const std::string* of = StringMember(object, "sighting_of_ref")) return "sighting of " + *of;
  for (std::string_view key : {"key", "path", "account_login", "command_line", "serial_number",
                               "subject", "display_name"}) {
    if (const std::string* v = StringMember(object, key)) return *v;
  }
  return "";
}

// ---- tessera query ---------------------------------------------------------------------

enum class OutputMode { kTable, kJson, kIds };

struct TimeFilterText {
  std::string after, before;
};

struct QueryOptions {
  std::string db;
  ReaderOptions reader;
  std::vector<std::string> types;
  std::string value, domain, inside, containing;
  // created, modified, added, first-seen, last-seen
  std::array<TimeFilterText, 5> times;
  std::vector<std::string> partners;
  std::string marking, label, text;
  bool include_revoked = false;
  bool no_warninglisted = false;
  size_t limit = 100;
  std::string cursor;
  bool all = false;
  bool count = false;
  bool json = false;
  bool ids = false;
};

constexpr std::array<std::string_view, 5> kTimeFilterNames = {"created", "modified", "added",
                                                              "first-seen", "last-seen"};

// A STIX timestamp, or a date YYYY-MM-DD standing for its midnight UTC.
core::Result<store::Micros> ParseTimeArgument(const std::string& option, const std::string& text) {
  bool date = text.size() == 10 && text[4] == '-' && text[7] == '-';
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    date = date && std::isdigit(static_cast<unsigned char>(text[i])) != 0;
  }
  auto micros = store::ParseMicros(date ? text + "T00:00:00Z" : text);
  if (!micros.ok()) {
    return core::MakeError(core::ErrorCode::kInvalidArgument,
                           "not a STIX timestamp or a date (YYYY-MM-DD): '" + text + "' (" +
                               micros.error().message + ")",
                           option);
  }
  return *micros;
}

// The value as the store has it: canonical when it normalizes ("hxxp://EVIL[.]com"
// is "http://evil.com/"), as given otherwise.
std::string CanonicalValue(const std::string& text) {
  auto observable = normalize::Normalize(text);
  return observable.ok() ? observable->value : text;
}

std::string CanonicalDomain(const std::string& text) {
  auto observable = normalize::NormalizeAs(normalize::Kind::kDomain, text);
  return observable.ok() ? observable->value : text;
}

std::string CanonicalAddressOrNetwork(const std::string& text) {
  auto observable = normalize::Normalize(text);
  if (!observable.ok()) return text;
  switch (observable->kind) {
    case normalize::Kind::kIpv4:
    case normalize::Kind::kIpv6:
    case normalize::Kind::kIpv4Network:
    case normalize::Kind::kIpv6Network:
      return observable->value;
    default:
      return text;
  }
}

core::Result<store::Query> BuildQuery(const QueryOptions& opt) {
  store::Query q;
  q.types = opt.types;
  if (!opt.value.empty()) q.value = CanonicalValue(opt.value);
  if (!opt.domain.empty()) q.domain = CanonicalDomain(opt.domain);
  if (!opt.inside.empty()) q.inside = CanonicalAddressOrNetwork(opt.inside);
  if (!opt.containing.empty()) q.containing = CanonicalAddressOrNetwork(opt.containing);
  std::array<store::TimeRange*, 5> ranges = {&q.created, &q.modified, &q.added, &q.first_seen,
                                             &q.last_seen};
  for (size_t i = 0; i < ranges.size(); ++i) {
    std::string name = "--";
    name.append(kTimeFilterNames[i]);
    if (!opt.times[i].after.empty()) {
      auto t = ParseTimeArgument(name + "-after", opt.times[i].after);
      if (!t.ok()) return t.error();
      ranges[i]->from = *t;
    }
    if (!opt.times[i].before.empty()) {
      auto t = ParseTimeArgument(name + "-before", opt.times[i].before);
      if (!t.ok()) return t.error();
      ranges[i]->to = *t;
    }
  }
  q.partners = opt.partners;
  if (opt.marking.starts_with("marking-definition--")) {
    q.markings = {opt.marking};
  } else if (!opt.marking.empty()) {
    auto level = stix::TlpLevelFromTag(opt.marking);  // "tlp:amber", "TLP:RED", ...
    if (!level) {
      return core::MakeError(core::ErrorCode::kInvalidArgument,
                             "not a marking-definition id or a TLP level "
                             "(tlp:clear, tlp:green, tlp:amber, tlp:amber+strict, tlp:red): '" +
                                 opt.marking + "'",
                             "--marking");
    }
    // Both generations of ids for the level (STIX 2.1's TLP 1.0 and OASIS TLP 2.0).
    q.markings = {std::string(stix::Tlp2MarkingId(*level))};
    if (auto tlp1 = stix::Tlp1MarkingId(*level)) q.markings.emplace_back(*tlp1);
  }
  q.label = opt.label;
  q.text = opt.text;
  q.include_revoked = opt.include_revoked;
  q.include_warninglisted = !opt.no_warninglisted;
  q.cursor = opt.cursor;
  q.limit = opt.limit;
  return q;
}

// Writes pages as they come: a table, JSON (the envelope around the objects'
// stored JSON, written as is), or ids.
class QueryOutput {
 public:
  explicit QueryOutput(OutputMode mode) : mode_(mode) {}

  core::Status Page(const std::vector<store::StoredObject>& objects) {
    std::string out;
    switch (mode_) {
      case OutputMode::kIds:
        for (const store::StoredObject& o : objects) out.append(o.id).push_back('\n');
        break;
      case OutputMode::kJson:
        if (count_ == 0) out.append("{\"objects\":[");
        for (const store::StoredObject& o : objects) {
          out.append(count_ == 0 ? "\n" : ",\n").append(o.json);
          ++count_;
        }
        break;
      case OutputMode::kTable: {
        auto status = Table(objects, &out);
        if (!status.ok()) return status;
        break;
      }
    }
    if (mode_ != OutputMode::kJson) count_ += objects.size();
    Print(out);
    return {};
  }

  void Finish(const std::string& next) {
    if (mode_ != OutputMode::kJson) return;
    std::string out;
    if (count_ == 0) out.append("{\"objects\":[");
    out.append(count_ == 0 ? "]" : "\n]").append(",\"next\":");
    if (next.empty()) {
      out.append("null");
    } else {
      core::AppendJsonString(&out, next);
    }
    out.append(",\"count\":").append(std::to_string(count_)).append("}\n");
    Print(out);
  }

  uint64_t count() const { return count_; }

 private:
  static constexpr size_t kValueColumns = 60;

  core::Status Table(const std::vector<store::StoredObject>& objects, std::string* out) {
    struct Row {
      const store::StoredObject* object;
      std::string description;
      std::string last_seen;
    };
    std::vector<Row> rows;
    rows.reserve(objects.size());
    for (const store::StoredObject& o : objects) {
      Row row{&o, "", "-"};
      if (auto json = core::ParseJson(o.json); json.ok()) {
        row.description = Shorten(ShortDescription(*json), kValueColumns);
      }
      if (o.revoked) row.description.append(row.description.empty() ? "(revoked)" : " (revoked)");
      row.last_seen = TimeText(o.last_seen);
      rows.push_back(std::move(row));
    }
    if (!header_written_ && !rows.empty()) {
      // Widths from the first page; later pages keep them (an --all walk streams).
      id_width_ = 2;
      type_width_ = 4;
      value_width_ = 5;
      for (const Row& r : rows) {
        id_width_ = std::max(id_width_, r.object->id.size());
        type_width_ = std::max(type_width_, r.object->type.size());
        value_width_ = std::max(value_width_, Columns(r.description));
      }
      Pad("ID", id_width_ + 2, out);
      Pad("TYPE", type_width_ + 2, out);
      Pad("VALUE", value_width_ + 2, out);
      out->append("LAST SEEN\n");
      header_written_ = true;
    }
    for (const Row& r : rows) {
      Pad(r.object->id, id_width_ + 2, out);
      Pad(r.object->type, type_width_ + 2, out);
      Pad(r.description, value_width_ + 2, out);
      out->append(r.last_seen).push_back('\n');
    }
    return {};
  }

  OutputMode mode_;
  uint64_t count_ = 0;
  bool header_written_ = false;
  size_t id_width_ = 0, type_width_ = 0, value_width_ = 0;
};

int RunQuery(const QueryOptions& opt) {
  auto query = BuildQuery(opt);
  if (!query.ok()) return ReportError(query.error());
  auto opened = OpenCommandStore(opt.db, /*write=*/false);
  if (!opened.ok()) return ReportStoreOpenError(opened.error());
  auto policy = OpenPolicy(**opened);
  if (!policy.ok()) return ReportError(policy.error());
  auto reader = ResolveReader(**policy, opt.reader);
  if (!reader.ok()) return ReportError(reader.error());

  if (opt.count) {
    auto n = (*policy)->Count(*reader, *query);
    if (!n.ok()) return ReportError(n.error());
    Print(opt.json ? "{\"count\":" + std::to_string(*n) + "}\n" : std::to_string(*n) + "\n");
    return *n > 0 ? kExitOk : kExitInvalidData;
  }

  OutputMode mode = opt.json ? OutputMode::kJson : opt.ids ? OutputMode::kIds : OutputMode::kTable;
  QueryOutput output(mode);
  store::Query q = std::move(*query);
  std::string next;
  while (true) {
    auto page = (*policy)->Search(*reader, q);
    if (!page.ok()) return ReportError(page.error());
    if (auto s = output.Page(page->objects); !s.ok()) return ReportError(s.error());
    if (!opt.all || page->next.empty()) {
      next = std::move(page->next);
      break;
    }
    q.cursor = std::move(page->next);
  }
  output.Finish(next);
  if (!next.empty() && mode != OutputMode::kJson) {
    std::cerr << "tessera: more objects: --cursor " << next << " for the next page, or --all\n";
  }
  return output.count() > 0 ? kExitOk : kExitInvalidData;
}

// ---- tessera show ----------------------------------------------------------------------

struct ShowOptions {
  std::string db;
  ReaderOptions reader;
  std::string id;
  std::string version;
  bool versions = false;
  bool json = false;
};

void WriteObject(core::JsonWriter* w, std::string_view json) {
  auto tree = core::ParseJson(json);
  if (tree.ok()) {
    w->Value(*tree);
  } else {
    w->String(json);  // not expected: the store keeps valid JSON
  }
}

std::string Pretty(std::string_view json) {
  auto tree = core::ParseJson(json);
  return tree.ok() ? core::WriteJson(*tree, core::JsonStyle::kPretty) : std::string(json);
}

std::string SharingText(const store::SharingRequest& s) {
  std::string out;
  auto add = [&out](std::string_view what, std::string_view value) {
    if (value.empty()) return;
    if (!out.empty()) out.append("; ");
    out.append(what).append(value);
  };
  auto join = [](const std::vector<std::string>& items) {
    std::string text;
    for (const std::string& item : items) text.append(text.empty() ? "" : ", ").append(item);
    return text;
  };
  add("TLP:", s.tlp);
  add("communities: ", join(s.communities));
  add("recipients: ", join(s.recipients));
  add("MISP distribution: ", s.distribution);
  add("sharing group: ", s.sharing_group);
  return out.empty() ? "-" : out;
}

void WriteShowJson(const store::StoredObject& object,
                   const std::vector<store::StoredObject>& versions, bool with_versions,
                   const std::vector<store::ProvenanceRecord>& provenance,
                   const store::Aggregates& a) {
  std::string out;
  core::JsonWriter w(&out);
  w.BeginObject().Key("object");
  WriteObject(&w, object.json);
  w.Key("versions").BeginArray();
  for (const store::StoredObject& v : versions) {
    w.BeginObject();
    WriteTime(&w, "modified", v.modified);
    WriteTime(&w, "added", v.added);
    w.Key("revoked").Bool(v.revoked).Key("latest").Bool(v.latest);
    if (with_versions) {
      w.Key("object");
      WriteObject(&w, v.json);
    }
    w.EndObject();
  }
  w.EndArray();
  w.Key("provenance").BeginArray();
  for (const store::ProvenanceRecord& p : provenance) {
    w.BeginObject().Key("partner").String(p.partner).Key("format").String(p.format);
    w.Key("file").String(p.file).Key("position").String(p.position);
    w.Key("submitted_id").String(p.submitted_id);
    WriteTime(&w, "first_received", p.first_received);
    WriteTime(&w, "last_received", p.last_received);
    w.Key("reports").Int(static_cast<int64_t>(p.reports));
    w.Key("run");
    if (p.run_id == 0) {
      w.Null();
    } else {
      w.Int(p.run_id);
    }
    w.Key("sharing").BeginObject().Key("tlp").String(p.sharing.tlp);
    w.Key("communities").BeginArray();
    for (const std::string& c : p.sharing.communities) w.String(c);
    w.EndArray().Key("recipients").BeginArray();
    for (const std::string& r : p.sharing.recipients) w.String(r);
    w.EndArray();
    w.Key("distribution").String(p.sharing.distribution);
    w.Key("sharing_group").String(p.sharing.sharing_group);
    w.EndObject();
    // What governance decided on it (the audience as far as it concerns the reader).
    w.Key("decision").BeginObject().Key("tlp").String(p.decision.tlp);
    w.Key("audience").BeginArray();
    for (const std::string& key : p.decision.audience) w.String(key);
    w.EndArray().Key("anonymous").Bool(p.decision.anonymous);
    WriteTime(&w, "expires", p.decision.expires.value_or(0));
    w.EndObject().EndObject();
  }
  w.EndArray();
  w.Key("aggregates").BeginObject();
  WriteTime(&w, "first_seen", a.first_seen);
  WriteTime(&w, "last_seen", a.last_seen);
  w.Key("partners").Int(static_cast<int64_t>(a.partners));
  w.Key("reports").Int(static_cast<int64_t>(a.reports));
  w.Key("merged_ids").BeginArray();
  for (const std::string& id : a.merged_ids) w.String(id);
  w.EndArray().Key("warninglists").BeginArray();
  for (const store::WarninglistHit& hit : a.warnings) {
    w.BeginObject().Key("list").String(hit.list).Key("reason").String(hit.reason).EndObject();
  }
  w.EndArray().EndObject().EndObject();
  out.push_back('\n');
  Print(out);
}

std::string VersionLine(const store::StoredObject& v) {
  std::string line = v.modified == 0 ? std::string("(no modified: an SCO)") : TimeText(v.modified);
  line.append("  added ").append(TimeText(v.added));
  if (v.revoked) line.append("  revoked");
  if (v.latest) line.append("  latest");
  return line;
}

void WriteShowText(const std::string& requested_id, const store::StoredObject& object,
                   const std::vector<store::StoredObject>& versions, bool with_versions,
                   const std::vector<store::ProvenanceRecord>& provenance,
                   const store::Aggregates& a) {
  std::string out;
  if (object.id != requested_id) {
    out.append(requested_id).append(" was merged into ").append(object.id).append("\n\n");
  }
  if (with_versions) {
    for (const store::StoredObject& v : versions) {
      out.append("--- version ").append(VersionLine(v)).append(" ---\n");
      out.append(Pretty(v.json)).push_back('\n');
    }
  } else {
    out.append(Pretty(object.json)).push_back('\n');
  }
  out.append("\nVersions (").append(std::to_string(versions.size())).append(", oldest first):\n");
  for (const store::StoredObject& v : versions)
    out.append("  ").append(VersionLine(v)).push_back('\n');

  out.append("\nProvenance (").append(std::to_string(provenance.size())).append(" source record");
  out.append(provenance.size() == 1 ? "):\n" : "s):\n");
  for (const store::ProvenanceRecord& p : provenance) {
    out.append("  ").append(p.partner).append("  ").append(p.format).append("  ");
    out.append(SourcePlace(p.file, p.position)).push_back('\n');
    out.append("    submitted as  ").append(p.submitted_id).push_back('\n');
    out.append("    received      ").append(TimeText(p.first_received));
    if (p.last_received != p.first_received) out.append(" to ").append(TimeText(p.last_received));
    out.append(" (")
        .append(std::to_string(p.reports))
        .append(p.reports == 1 ? " report" : " reports");
    if (p.run_id != 0) out.append(", run ").append(std::to_string(p.run_id));
    out.append(")\n");
    out.append("    sharing       ").append(SharingText(p.sharing)).push_back('\n');
    if (!p.decision.tlp.empty() || !p.decision.audience.empty()) {
      out.append("    decided       ");
      if (!p.decision.tlp.empty()) out.append("TLP:").append(p.decision.tlp).append("; ");
      out.append("readers: ");
      for (size_t i = 0; i < p.decision.audience.size(); ++i) {
        out.append(i == 0 ? "" : ", ").append(p.decision.audience[i]);
      }
      if (p.decision.anonymous) out.append("; anonymous");
      if (p.decision.expires) out.append("; expires ").append(TimeText(*p.decision.expires));
      out.push_back('\n');
    }
  }

  out.append("\nAggregates:\n");
  out.append("  first seen    ").append(TimeText(a.first_seen)).push_back('\n');
  out.append("  last seen     ").append(TimeText(a.last_seen)).push_back('\n');
  out.append("  partners      ").append(std::to_string(a.partners)).push_back('\n');
  out.append("  reports       ").append(std::to_string(a.reports)).push_back('\n');
  out.append("  merged ids    ");
  if (a.merged_ids.empty()) out.append("-");
  for (size_t i = 0; i < a.merged_ids.size(); ++i) {
    out.append(i == 0 ? "" : "\n                ").append(a.merged_ids[i]);
  }
  out.append("\n  warninglists  ");
  if (a.warnings.empty()) out.append("-");
  for (size_t i = 0; i < a.warnings.size(); ++i) {
    out.append(i == 0 ? "" : "\n                ")
        .append(a.warnings[i].list)
        .append(": ")
        .append(a.warnings[i].reason);
  }
  out.push_back('\n');
  Print(out);
}

int RunShow(const ShowOptions& opt) {
  std::optional<store::Micros> version;
  if (!opt.version.empty()) {
    auto parsed = store::ParseMicros(opt.version);
    if (!parsed.ok()) {
      std::cerr << "tessera: --version: not a STIX timestamp: '" << opt.version << "' ("
                << parsed.error().message << ")\n";
      return kExitUsage;
    }
    version = *parsed;
  }
  auto opened = OpenCommandStore(opt.db, /*write=*/false);
  if (!opened.ok()) return ReportStoreOpenError(opened.error());
  auto policy = OpenPolicy(**opened);
  if (!policy.ok()) return ReportError(policy.error());
  auto reader = ResolveReader(**policy, opt.reader);
  if (!reader.ok()) return ReportError(reader.error());

  auto object = (*policy)->Get(*reader, opt.id, version);
  if (!object.ok()) return ReportError(object.error());
  auto versions = (*policy)->Versions(*reader, opt.id);
  if (!versions.ok()) return ReportError(versions.error());
  if (!*object) {
    if (versions->empty()) {
      std::cerr << "tessera: " << opt.id << ": not found\n";
    } else {
      std::cerr << "tessera: " << opt.id << ": no version modified " << opt.version
                << "; its versions:";
      for (const store::StoredObject& v : *versions) std::cerr << ' ' << TimeText(v.modified);
      std::cerr << '\n';
    }
    return kExitInvalidData;
  }
  auto provenance = (*policy)->Provenance(*reader, opt.id);
  if (!provenance.ok()) return ReportError(provenance.error());
  auto aggregates = (*policy)->AggregatesOf(*reader, opt.id);
  if (!aggregates.ok()) return ReportError(aggregates.error());
  store::Aggregates a = aggregates->value_or(store::Aggregates{});
  if (opt.json) {
    WriteShowJson(**object, *versions, opt.versions, *provenance, a);
  } else {
    WriteShowText(opt.id, **object, *versions, opt.versions, *provenance, a);
  }
  return kExitOk;
}

}  // namespace

void RegisterQueryCommand(CLI::App& app, int* exit_code) {
  auto opt = std::make_shared<QueryOptions>();
  CLI::App* cmd = app.add_subcommand(
      "query",
      "Search the store: the latest version of every object (merged ids folded into their "
      "canonical object) that passes all the filters given; a repeated filter (--type, "
      "--partner) matches any of its values. Revoked objects are left out unless "
      "--include-revoked. Values are normalized first, as at ingest (hxxp://EVIL[.]com finds "
      "http://evil.com/); one that does not normalize is searched as given. Times take a STIX "
      "timestamp or a date YYYY-MM-DD (midnight UTC); both ends are inclusive. Output: a table "
      "(id, type, value or name, last seen), --json, --ids or --count; one page of --limit "
      "objects at a time, the next page with --cursor (told on stderr), or every page with "
      "--all. Exit 0 when an object matched, 1 when none did (like grep), 2 usage error, 3 when "
      "the database is missing or cannot be opened, 5 when a token is refused. Without --as or "
      "--token this is the operator's unrestricted view; with either, exactly what that "
      "partner may see (docs/GOVERNANCE.md).");
  cmd->add_option("--type", opt->types, "STIX type (repeatable: any of them)")
      ->allow_extra_args(false);
  cmd->add_option("--value", opt->value,
                  "Exact observable value (SCOs and the values STIX-pattern indicators compare "
                  "to): an address, domain, URL, hash, e-mail, AS number, file name, ...");
  cmd->add_option("--domain", opt->domain,
                  "This domain and every name under it (domains, URLs and e-mail addresses on "
                  "them)");
  cmd->add_option("--inside", opt->inside, "Addresses and networks inside this CIDR (or address)");
  cmd->add_option("--containing", opt->containing,
                  "Networks (and addresses) that contain this address or CIDR");
  // What each time filter compares, in the order of kTimeFilterNames.
  constexpr std::array<std::string_view, 5> kTimeFilterHelp = {
      "whose 'created' is", "whose latest 'modified' is", "first stored",
      "first received from any partner", "last received from any partner"};
  for (size_t i = 0; i < kTimeFilterNames.size(); ++i) {
    std::string name("--");
    name.append(kTimeFilterNames[i]);
    std::string help("Objects ");
    help.append(kTimeFilterHelp[i]);
    cmd->add_option(name + "-after", opt->times[i].after, help + " at or after this time");
    cmd->add_option(name + "-before", opt->times[i].before, help + " at or before this time");
  }
  cmd->add_option("--partner", opt->partners, "Reported by this partner (repeatable: any of them)")
      ->allow_extra_args(false);
  cmd->add_option("--marking", opt->marking,
                  "Has this marking-definition id; tlp:clear, tlp:green, tlp:amber, "
                  "tlp:amber+strict and tlp:red stand for their TLP 2.0 and TLP 1.0 marking "
                  "definitions");
  cmd->add_option("--label", opt->label, "Has this label");
  cmd->add_option("--text", opt->text, "Name or an alias contains this (case-insensitive)");
  cmd->add_flag("--include-revoked", opt->include_revoked, "Also revoked objects");
  cmd->add_flag("--no-warninglisted", opt->no_warninglisted,
                "Leave out objects whose value is on a warninglist");
  cmd->add_option("--limit", opt->limit,
                  "Objects per page (default 100, at most 10000); with --all, the page size")
      ->check(CLI::Range(size_t{1}, store::kMaxPageSize));
  CLI::Option* cursor =
      cmd->add_option("--cursor", opt->cursor, "Start after this cursor (from the previous page)");
  CLI::Option* all = cmd->add_flag("--all", opt->all, "Every page, to the end (streamed)");
  CLI::Option* count =
      cmd->add_flag("--count", opt->count, "Print only the number of matching objects");
  CLI::Option* json = cmd->add_flag(
      "--json", opt->json,
      "Print {\"objects\": [full STIX objects], \"next\": cursor or null, \"count\": n} (with "
      "--count: {\"count\": n})");
  CLI::Option* ids = cmd->add_flag("--ids", opt->ids, "Print one id per line");
  json->excludes(ids);
  count->excludes(ids)->excludes(all)->excludes(cursor);
  AddReaderOptions(cmd, &opt->reader);
  AddDbOption(cmd, &opt->db);
  cmd->callback([opt, exit_code] { *exit_code = RunQuery(*opt); });
}

void RegisterShowCommand(CLI::App& app, int* exit_code) {
  auto opt = std::make_shared<ShowOptions>();
  CLI::App* cmd = app.add_subcommand(
      "show",
      "Show one object: the latest version (or the one --version names; every version with "
      "--versions), then its versions, its provenance (every source record: partner, format, "
      "file and position, the id the partner used, first and last received, reports, run, "
      "sharing request) and its aggregates (first and last seen, partners, reports, ids merged "
      "into it, warninglists it is on). A merged id shows its canonical object. Exit 0 when "
      "found, 1 when the id (or version) is not in the store (or not visible to the reader: "
      "the two look the same), 2 usage error, 3 when the database is missing or cannot be "
      "opened, 5 when a token is refused. --as/--token read as a partner (docs/GOVERNANCE.md).");
  cmd->add_option("id", opt->id, "The STIX id")->required();
  cmd->add_option("--version", opt->version,
                  "The version whose 'modified' is this STIX timestamp (default: the latest)");
  cmd->add_flag("--versions", opt->versions, "Every version, oldest first");
  cmd->add_flag("--json", opt->json,
                "Print {\"object\", \"versions\": [{modified, added, revoked, latest, and with "
                "--versions the object}], \"provenance\": [...], \"aggregates\": {...}}");
  AddReaderOptions(cmd, &opt->reader);
  AddDbOption(cmd, &opt->db);
  cmd->callback([opt, exit_code] { *exit_code = RunShow(*opt); });
}

}  // namespace tessera::cli

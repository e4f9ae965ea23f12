// `tessera partner`: registering partners and their sharing settings. The
// registry stores them (store/registry.h); governance reads them when it
// decides on a submission (governance/sharing.h).
#include "cli/partner_command.h"

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
#include "cli/token_command.h"
#include "core/json.h"
#include "core/uuid.h"
#include "governance/policy.h"
#include "governance/tlp.h"
#include "store/registry.h"

namespace tessera::cli {
namespace {

using core::ErrorCode;
using core::MakeError;

constexpr int64_t kMaxRetentionDays = 36'500;  // a hundred years
constexpr size_t kMaxNameBytes = 100;

void Print(const std::string& out) { std::fwrite(out.data(), 1, out.size(), stdout); }

// The parts joined (GCC 12 warns falsely on `"literal" + std::string`).
std::string Cat(std::initializer_list<std::string_view> parts) {
  std::string out;
  for (std::string_view part : parts) out.append(part);
  return out;
}

int ReportError(const core::Error& error) {
  std::cerr << "tessera: " << error.ToString() << '\n';
  return ExitCodeFor(error.code);
}

// The settings options of `add` and `set`. The Option pointers tell which were
// given: `set` changes only those.
struct PartnerOptions {
  std::string db;
  bool json = false;
  std::string name;
  std::string description;
  std::string tlp;
  std::vector<std::string> communities;
  bool no_communities = false;
  bool anonymous = false;
  bool recognition = false;
  bool personal_data = false;
  std::string retention_days;  // "N" or "none"
  std::string identity;

  CLI::Option* description_given = nullptr;
  CLI::Option* tlp_given = nullptr;
  CLI::Option* communities_given = nullptr;
  CLI::Option* no_communities_given = nullptr;
  CLI::Option* anonymous_given = nullptr;
  CLI::Option* recognition_given = nullptr;
  CLI::Option* personal_data_given = nullptr;
  CLI::Option* retention_given = nullptr;
  CLI::Option* identity_given = nullptr;
};

bool Given(const CLI::Option* option) { return option != nullptr && option->count() > 0; }

// A TLP 2.0 level name ("amber+strict") from what the user wrote ("TLP:AMBER+STRICT").
core::Result<std::string> TlpLevel(const std::string& text) {
  auto tlp = governance::ParseTlp(text);
  if (!tlp) {
    return MakeError(
        ErrorCode::kInvalidArgument,
        Cat({"unknown TLP level '", text, "' (clear, green, amber, amber+strict, red)"}), "--tlp");
  }
  return std::string(governance::TlpName(*tlp));
}

// "none" -> nullopt; otherwise whole days, 1 to kMaxRetentionDays.
core::Result<std::optional<int64_t>> RetentionDays(const std::string& text) {
  if (text == "none") return std::optional<int64_t>();
  int64_t days = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), days);
  if (ec != std::errc() || end != text.data() + text.size() || days < 1 ||
      days > kMaxRetentionDays) {
    return MakeError(ErrorCode::kInvalidArgument,
                     Cat({"expected whole days from 1 to ", std::to_string(kMaxRetentionDays),
                          " or 'none', got '", text, "'"}),
                     "--retention-days");
  }
  return std::optional<int64_t>(days);
}

// STIX 2.1 §2.9: "identity--" and an RFC 9562 UUID; returned in lower case.
core::Result<std::string> IdentityId(const std::string& text) {
  constexpr std::string_view kPrefix = "identity--";
  auto fail = [&] {
    return MakeError(ErrorCode::kInvalidArgument,
                     Cat({"expected identity--UUID (an RFC 9562 UUID), got '", text, "'"}),
                     "--identity");
  };
  if (!text.starts_with(kPrefix)) return fail();
  auto uuid = core::ParseUuid(std::string_view(text).substr(kPrefix.size()));
  if (!uuid.ok() || !uuid->is_rfc_variant()) return fail();
  std::string id(kPrefix);
  uuid->AppendTo(&id);
  return id;
}

// The named communities, sorted and unique; each must exist.
core::Result<std::vector<std::string>> ExistingCommunities(store::Registry& registry,
                                                           std::vector<std::string> names) {
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  for (const std::string& name : names) {
    auto community = registry.GetCommunity(name);
    if (!community.ok()) return community.error();
    if (!*community) {
      return MakeError(
          ErrorCode::kNotFound,
          Cat({"no community named ", name, " (create it with 'tessera community add')"}),
          "--community");
    }
  }
  return names;
}

std::string YesNo(bool b) { return b ? "yes" : "no"; }

std::string ListText(const std::vector<std::string>& items) {
  if (items.empty()) return "-";
  std::string out;
  for (const std::string& item : items) {
    if (!out.empty()) out.append(", ");
    out.append(item);
  }
  return out;
}

std::string RetentionText(const std::optional<int64_t>& days) {
  if (!days) return "kept (no limit)";
  std::string out = std::to_string(*days);
  return out.append(*days == 1 ? " day" : " days");
}

void WriteStrings(core::JsonWriter* w, const std::vector<std::string>& items) {
  w->BeginArray();
  for (const std::string& item : items) w->String(item);
  w->EndArray();
}

// What a partner is shown with: its record, the communities it is a member
// of and (show only) its tokens.
struct PartnerView {
  store::PartnerRecord partner;
  std::vector<std::string> member_of;
  std::optional<std::vector<store::TokenRecord>> tokens;
};

void WritePartnerJson(core::JsonWriter* w, const PartnerView& view, store::Micros now) {
  const store::PartnerRecord& p = view.partner;
  w->BeginObject().Key("name").String(p.name).Key("identity").String(p.identity_id);
  w->Key("description").String(p.description).Key("default_tlp").String(p.default_tlp);
  w->Key("default_communities");
  WriteStrings(w, p.default_communities);
  w->Key("anonymous").Bool(p.anonymous).Key("recognition").Bool(p.recognition);
  w->Key("retention_days");
  if (p.retention_days) {
    w->Int(*p.retention_days);
  } else {
    w->Null();
  }
  w->Key("personal_data").Bool(p.personal_data);
  w->Key("created").String(store::FormatMicros(p.created));
  w->Key("communities");
  WriteStrings(w, view.member_of);
  if (view.tokens) {
    w->Key("tokens").BeginArray();
    for (const store::TokenRecord& t : *view.tokens) WriteTokenJson(w, t, now);
    w->EndArray();
  }
  w->EndObject();
}

std::string PartnerText(const PartnerView& view, store::Micros now) {
  const store::PartnerRecord& p = view.partner;
  std::vector<std::pair<std::string, std::string>> rows = {
      {"name", p.name},
      {"identity", p.identity_id},
      {"description", p.description.empty() ? "-" : p.description},
      {"default TLP", p.default_tlp},
      {"default communities", ListText(p.default_communities)},
      {"anonymous", YesNo(p.anonymous)},
      {"recognition", YesNo(p.recognition)},
      {"retention", RetentionText(p.retention_days)},
      {"personal data", p.personal_data ? "yes (shown in clear)" : "no (redacted)"},
      {"created", store::FormatMicros(p.created)},
      {"member of", ListText(view.member_of)},
  };
  if (view.tokens) {
    if (view.tokens->empty()) rows.emplace_back("tokens", "-");
    for (const store::TokenRecord& t : *view.tokens) {
      std::string line = t.id;
      line.append("  ").append(ListText(t.roles)).append("  ").append(TokenStateText(t, now));
      rows.emplace_back("token", std::move(line));
    }
  }
  size_t width = 0;
  for (const auto& [key, value] : rows) width = std::max(width, key.size());
  std::string out;
  for (const auto& [key, value] : rows) {
    out.append(key).append(width + 2 - key.size(), ' ').append(value).push_back('\n');
  }
  return out;
}

void PrintPartner(const PartnerView& view, bool json, store::Micros now) {
  std::string out;
  if (json) {
    core::JsonWriter w(&out);
    WritePartnerJson(&w, view, now);
    out.push_back('\n');
  } else {
    out = PartnerText(view, now);
  }
  Print(out);
}

// Writes the value of one audited setting ("identity", "default_tlp", ...).
void WriteSetting(core::JsonWriter* w, const store::PartnerRecord& p, std::string_view field) {
  w->Key(field);
  if (field == "identity") {
    w->String(p.identity_id);
  } else if (field == "description") {
    w->String(p.description);
  } else if (field == "default_tlp") {
    w->String(p.default_tlp);
  } else if (field == "default_communities") {
    WriteStrings(w, p.default_communities);
  } else if (field == "anonymous") {
    w->Bool(p.anonymous);
  } else if (field == "recognition") {
    w->Bool(p.recognition);
  } else if (field == "retention_days" && p.retention_days) {
    w->Int(*p.retention_days);
  } else if (field == "personal_data") {
    w->Bool(p.personal_data);
  } else {
    w->Null();
  }
}

// Audit details: the named settings with their values (partners hold no secrets).
std::string SettingsDetails(const store::PartnerRecord& p, const std::vector<std::string>& fields) {
  std::string details;
  core::JsonWriter w(&details);
  w.BeginObject();
  for (const std::string& field : fields) WriteSetting(&w, p, field);
  w.EndObject();
  return details;
}

const std::vector<std::string>& AllSettings() {
  static const std::vector<std::string> kFields = {
      "identity",  "description", "default_tlp",    "default_communities",
      "anonymous", "recognition", "retention_days", "personal_data"};
  return kFields;
}

std::string PartnerTarget(const std::string& name) {
  std::string target = "partner:";
  return target.append(name);
}

// Applies the given options to *p. `changed` (may be null) collects the names
// of the fields whose value changed.
core::Status ApplySettings(const PartnerOptions& opt, store::Registry& registry,
                           store::PartnerRecord* p, std::vector<std::string>* changed) {
  auto note = [&](bool differs, const char* field) {
    if (differs && changed != nullptr) changed->push_back(field);
  };
  if (Given(opt.description_given)) {
    note(p->description != opt.description, "description");
    p->description = opt.description;
  }
  if (Given(opt.tlp_given)) {
    auto level = TlpLevel(opt.tlp);
    if (!level.ok()) return level.error();
    note(p->default_tlp != *level, "default_tlp");
    p->default_tlp = std::move(*level);
  }
  if (Given(opt.communities_given) || Given(opt.no_communities_given)) {
    std::vector<std::string> names;
    if (!opt.no_communities) {
      auto existing = ExistingCommunities(registry, opt.communities);
      if (!existing.ok()) return existing.error();
      names = std::move(*existing);
    }
    note(p->default_communities != names, "default_communities");
    p->default_communities = std::move(names);
  }
  if (Given(opt.anonymous_given)) {
    note(p->anonymous != opt.anonymous, "anonymous");
    p->anonymous = opt.anonymous;
  }
  if (Given(opt.recognition_given)) {
    note(p->recognition != opt.recognition, "recognition");
    p->recognition = opt.recognition;
  }
  if (Given(opt.personal_data_given)) {
    note(p->personal_data != opt.personal_data, "personal_data");
    p->personal_data = opt.personal_data;
  }
  if (Given(opt.retention_given)) {
    auto days = RetentionDays(opt.retention_days);
    if (!days.ok()) return days.error();
    note(p->retention_days != *days, "retention_days");
    p->retention_days = *days;
  }
  if (Given(opt.identity_given)) {
    auto id = IdentityId(opt.identity);
    if (!id.ok()) return id.error();
    note(p->identity_id != *id, "identity");
    p->identity_id = std::move(*id);
  }
  return {};
}

int Add(const PartnerOptions& opt) {
  if (auto s = CheckRegistryName("partner", opt.name); !s.ok()) return ReportError(s.error());
  auto opened = OpenCommandStore(opt.db, /*write=*/true);
  if (!opened.ok()) return ReportStoreOpenError(opened.error());
  auto policy = OpenPolicy(**opened);
  if (!policy.ok()) return ReportError(policy.error());
  store::Registry& registry = (*policy)->registry();

  store::PartnerRecord partner;
  partner.name = opt.name;
  partner.default_tlp = "amber";
  if (auto s = ApplySettings(opt, registry, &partner, nullptr); !s.ok()) {
    return ReportError(s.error());
  }
  if (partner.identity_id.empty()) {
    partner.identity_id = "identity--";
    core::UuidV4().AppendTo(&partner.identity_id);
  }
  partner.created = NowMicros();
  if (auto s = registry.AddPartner(partner); !s.ok()) return ReportError(s.error());
  if (int code = AuditChange(**policy, "partner.add", PartnerTarget(partner.name),
                             SettingsDetails(partner, AllSettings()));
      code != kExitOk) {
    return code;
  }
  PrintPartner(PartnerView{partner, {}, std::nullopt}, opt.json, partner.created);
  return kExitOk;
}

int List(const PartnerOptions& opt) {
  auto opened = OpenCommandStore(opt.db, /*write=*/false);
  if (!opened.ok()) return ReportStoreOpenError(opened.error());
  store::Registry registry(**opened);
  auto partners = registry.ListPartners();
  if (!partners.ok()) return ReportError(partners.error());
  std::vector<PartnerView> views;
  for (store::PartnerRecord& p : *partners) {
    auto member_of = registry.CommunitiesOf(p.name);
    if (!member_of.ok()) return ReportError(member_of.error());
    views.push_back(PartnerView{std::move(p), std::move(*member_of), std::nullopt});
  }
  store::Micros now = NowMicros();
  std::string out;
  if (opt.json) {
    core::JsonWriter w(&out);
    w.BeginArray();
    for (const PartnerView& view : views) WritePartnerJson(&w, view, now);
    w.EndArray();
    out.push_back('\n');
  } else if (views.empty()) {
    std::cerr << "tessera: no partners registered (add one with 'tessera partner add NAME')\n";
  } else {
    std::vector<std::vector<std::string>> rows = {
        {"NAME", "TLP", "ANONYMOUS", "RECOGNITION", "PERSONAL DATA", "RETENTION", "MEMBER OF"}};
    for (const PartnerView& view : views) {
      const store::PartnerRecord& p = view.partner;
      rows.push_back({p.name, p.default_tlp, YesNo(p.anonymous), YesNo(p.recognition),
                      YesNo(p.personal_data),
                      p.retention_days ? std::to_string(*p.retention_days) + " d" : "-",
                      ListText(view.member_of)});
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
  }
  Print(out);
  return kExitOk;
}

core::Error NoPartner(const std::string& name) {
  return MakeError(ErrorCode::kNotFound, Cat({"no partner named ", name}));
}

int Show(const PartnerOptions& opt) {
  auto opened = OpenCommandStore(opt.db, /*write=*/false);
  if (!opened.ok()) return ReportStoreOpenError(opened.error());
  store::Registry registry(**opened);
  auto partner = registry.GetPartner(opt.name);
  if (!partner.ok()) return ReportError(partner.error());
  if (!*partner) return ReportError(NoPartner(opt.name));
  auto member_of = registry.CommunitiesOf(opt.name);
  if (!member_of.ok()) return ReportError(member_of.error());
  auto tokens = registry.ListTokens(opt.name);
  if (!tokens.ok()) return ReportError(tokens.error());
  PrintPartner(PartnerView{std::move(**partner), std::move(*member_of), std::move(*tokens)},
               opt.json, NowMicros());
  return kExitOk;
}

int Set(const PartnerOptions& opt) {
  const bool any = Given(opt.description_given) || Given(opt.tlp_given) ||
                   Given(opt.communities_given) || Given(opt.no_communities_given) ||
                   Given(opt.anonymous_given) || Given(opt.recognition_given) ||
                   Given(opt.personal_data_given) || Given(opt.retention_given) ||
                   Given(opt.identity_given);
  if (!any) {
    std::cerr << "tessera: partner set: nothing to change (see 'tessera partner set --help')\n";
    return kExitUsage;
  }
  auto opened = OpenCommandStore(opt.db, /*write=*/false);
  if (!opened.ok()) return ReportStoreOpenError(opened.error());
  auto policy = OpenPolicy(**opened);
  if (!policy.ok()) return ReportError(policy.error());
  store::Registry& registry = (*policy)->registry();
  auto found = registry.GetPartner(opt.name);
  if (!found.ok()) return ReportError(found.error());
  if (!*found) return ReportError(NoPartner(opt.name));
  store::PartnerRecord partner = std::move(**found);
  std::vector<std::string> changed;
  if (auto s = ApplySettings(opt, registry, &partner, &changed); !s.ok()) {
    return ReportError(s.error());
  }
  if (!changed.empty()) {
    if (auto s = registry.UpdatePartner(partner); !s.ok()) return ReportError(s.error());
    std::string details = SettingsDetails(partner, changed);  // the new values
    if (int code = AuditChange(**policy, "partner.set", PartnerTarget(partner.name), details);
        code != kExitOk) {
      return code;
    }
  }
  auto member_of = registry.CommunitiesOf(partner.name);
  if (!member_of.ok()) return ReportError(member_of.error());
  PartnerView view{std::move(partner), std::move(*member_of), std::nullopt};
  store::Micros now = NowMicros();
  std::string out;
  if (opt.json) {
    core::JsonWriter w(&out);
    w.BeginObject().Key("changed");
    WriteStrings(&w, changed);
    w.Key("partner");
    WritePartnerJson(&w, view, now);
    w.EndObject();
    out.push_back('\n');
  } else {
    out = changed.empty() ? "unchanged" : Cat({"changed: ", ListText(changed)});
    out.push_back('\n');
    out.append(PartnerText(view, now));
  }
  Print(out);
  return kExitOk;
}

int Remove(const PartnerOptions& opt) {
  auto opened = OpenCommandStore(opt.db, /*write=*/false);
  if (!opened.ok()) return ReportStoreOpenError(opened.error());
  auto policy = OpenPolicy(**opened);
  if (!policy.ok()) return ReportError(policy.error());
  store::Registry& registry = (*policy)->registry();
  auto found = registry.GetPartner(opt.name);
  if (!found.ok()) return ReportError(found.error());
  if (!*found) return ReportError(NoPartner(opt.name));
  auto member_of = registry.CommunitiesOf(opt.name);
  if (!member_of.ok()) return ReportError(member_of.error());
  auto tokens = registry.ListTokens(opt.name);
  if (!tokens.ok()) return ReportError(tokens.error());
  auto removed = registry.RemovePartner(opt.name);
  if (!removed.ok()) return ReportError(removed.error());
  if (!*removed) return ReportError(NoPartner(opt.name));  // removed meanwhile

  std::vector<std::string> token_ids;
  for (const store::TokenRecord& t : *tokens) token_ids.push_back(t.id);
  std::string details;
  {
    core::JsonWriter w(&details);
    w.BeginObject().Key("identity").String((*found)->identity_id).Key("left");
    WriteStrings(&w, *member_of);
    w.Key("tokens_deleted");
    WriteStrings(&w, token_ids);
    w.EndObject();
  }
  if (int code = AuditChange(**policy, "partner.remove", PartnerTarget(opt.name), details);
      code != kExitOk) {
    return code;
  }
  std::string out;
  if (opt.json) {
    core::JsonWriter w(&out);
    w.BeginObject().Key("removed").String(opt.name).Key("identity").String((*found)->identity_id);
    w.Key("left_communities");
    WriteStrings(&w, *member_of);
    w.Key("tokens_deleted");
    WriteStrings(&w, token_ids);
    w.EndObject();
    out.push_back('\n');
  } else {
    out = Cat({"removed partner ", opt.name});
    out.append(" (left communities: ").append(ListText(*member_of));
    out.append("; tokens deleted: ").append(ListText(token_ids));
    out.append("); the data it contributed stays in the store\n");
  }
  Print(out);
  return kExitOk;
}

// The settings options, shared by add and set.
void AddSettingOptions(CLI::App* cmd, PartnerOptions* opt) {
  opt->description_given =
      cmd->add_option("--description", opt->description, "A free-text description");
  opt->tlp_given = cmd->add_option(
      "--tlp", opt->tlp,
      "Default TLP for its submissions that state none: clear, green, amber, amber+strict, red "
      "(TLP:RED and TLP 1.0 'white' are accepted too; add: default amber)");
  opt->communities_given = cmd->add_option(
      "--community", opt->communities,
      "A community its submissions go to when they name none; repeat for more (set: replaces "
      "the list). The community must exist. Membership is separate: 'tessera community join'");
  opt->anonymous_given = cmd->add_flag(
      "--anonymous,!--no-anonymous", opt->anonymous,
      "Whether it contributes under per-community pseudonyms (add: default --no-anonymous)");
  opt->recognition_given =
      cmd->add_flag("--recognition,!--no-recognition", opt->recognition,
                    "Whether it opted in to public recognition (add: default --no-recognition)");
  opt->personal_data_given = cmd->add_flag(
      "--personal-data,!--no-personal-data", opt->personal_data,
      "Whether it may see personal data in clear; otherwise it sees keyed hashes (add: default "
      "--no-personal-data)");
  opt->retention_given = cmd->add_option(
      "--retention-days", opt->retention_days,
      "Its data leaves the hub this many days (1 to 36500) after it was received; 'none': kept "
      "(the default). Applies to data received afterwards");
  opt->identity_given =
      cmd->add_option("--identity", opt->identity,
                      "Its STIX identity id, identity--UUID (add: default a new random UUIDv4)");
  cmd->add_flag("--json", opt->json, "Print the partner as JSON (see 'partner show --help')");
}

CLI::App* AddPartnerSubcommand(CLI::App* parent, const char* name, const char* help,
                               PartnerOptions* opt, bool takes_name) {
  CLI::App* cmd = parent->add_subcommand(name, help);
  if (takes_name) cmd->add_option("NAME", opt->name, "The partner's name")->required();
  AddDbOption(cmd, &opt->db);
  return cmd;
}

}  // namespace

core::Status CheckRegistryName(std::string_view kind, std::string_view name) {
  auto fail = [&](const char* why) {
    std::string message(kind);
    message.append(" name '").append(name).append("' ").append(why);
    return MakeError(ErrorCode::kInvalidArgument, std::move(message));
  };
  if (name.empty()) return fail("is empty");
  if (name.size() > kMaxNameBytes) return fail("is longer than 100 bytes");
  if (name.front() == '-') return fail("starts with '-'");
  auto space = [](char c) { return c == ' ' || c == '\t'; };
  if (space(name.front()) || space(name.back())) return fail("starts or ends with whitespace");
  for (char c : name) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) {
      return fail("holds a control character");
    }
  }
  return {};
}

void RegisterPartnerCommand(CLI::App& app, int* exit_code) {
  CLI::App* partner = app.add_subcommand(
      "partner",
      "The partners registered with the hub and their sharing settings: default TLP and "
      "communities for submissions that state none, anonymity, public recognition, retention, "
      "and whether they may see personal data. Every change is recorded in the audit log. Exit "
      "3 when a named partner or community does not exist, 4 when a name or identity is taken.");
  partner->require_subcommand(1);

  auto add = std::make_shared<PartnerOptions>();
  CLI::App* add_cmd = AddPartnerSubcommand(
      partner, "add",
      "Register a partner, with a STIX identity (a new identity--UUIDv4 unless --identity), "
      "and print it. The database is created when missing. Audited as partner.add. Exit 0; 2 "
      "for a bad option value; 3 when a --community does not exist; 4 when the name or "
      "identity is taken.",
      add.get(), true);
  AddSettingOptions(add_cmd, add.get());
  add_cmd->callback([add, exit_code] { *exit_code = Add(*add); });

  auto list = std::make_shared<PartnerOptions>();
  CLI::App* list_cmd = AddPartnerSubcommand(
      partner, "list",
      "List the partners, by name: default TLP, anonymity, recognition, personal data, "
      "retention and the communities each is a member of. Exit 0, or 3 when the database is "
      "missing.",
      list.get(), false);
  list_cmd->add_flag("--json", list->json,
                     "Print a JSON array of partners, each as 'partner show --json' without "
                     "tokens");
  list_cmd->callback([list, exit_code] { *exit_code = List(*list); });

  auto show = std::make_shared<PartnerOptions>();
  CLI::App* show_cmd = AddPartnerSubcommand(
      partner, "show",
      "Show one partner: its settings, the communities it is a member of, and its tokens "
      "(id, roles, state; never a secret). Exit 0, or 3 when there is no such partner.",
      show.get(), true);
  show_cmd->add_flag("--json", show->json,
                     "Print {name, identity, description, default_tlp, default_communities, "
                     "anonymous, recognition, retention_days (null: kept), personal_data, "
                     "created, communities, tokens: [{id, partner, roles, description, created, "
                     "expires, revoked, state}]}");
  show_cmd->callback([show, exit_code] { *exit_code = Show(*show); });

  auto set = std::make_shared<PartnerOptions>();
  CLI::App* set_cmd = AddPartnerSubcommand(
      partner, "set",
      "Change a partner's settings: only the options given change. Flags turn a setting on "
      "(--anonymous) or off (--no-anonymous); --retention-days none removes the limit; "
      "--no-communities clears the default communities. Prints the partner and what changed; "
      "a change is audited as partner.set with the changed fields' new values. Exit 0; 2 when "
      "no option is given or a value is bad; 3 when the partner or a --community does not "
      "exist; 4 when the --identity is another partner's.",
      set.get(), true);
  AddSettingOptions(set_cmd, set.get());
  set->no_communities_given =
      set_cmd->add_flag("--no-communities", set->no_communities, "Clear the default communities")
          ->excludes(set->communities_given);
  set_cmd->callback([set, exit_code] { *exit_code = Set(*set); });

  auto remove = std::make_shared<PartnerOptions>();
  CLI::App* remove_cmd = AddPartnerSubcommand(
      partner, "remove",
      "Remove a partner: its registration, its community memberships and its tokens (which "
      "stop working at once). The data it contributed stays, with its provenance. Audited as "
      "partner.remove. Exit 0, or 3 when there is no such partner.",
      remove.get(), true);
  remove_cmd->add_flag("--json", remove->json,
                       "Print {removed, identity, left_communities, tokens_deleted} as JSON");
  remove_cmd->callback([remove, exit_code] { *exit_code = Remove(*remove); });
}

}  // namespace tessera::cli

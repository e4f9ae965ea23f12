// `tessera community`: communities and their members. What a member may learn
// about a confidential community is decided here, for the listing: itself as
// a member, nothing about the others (not even how many there are).
#include "cli/community_command.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "cli/audit_command.h"
#include "cli/db_command.h"
#include "cli/exit_codes.h"
#include "cli/governance_access.h"
#include "cli/partner_command.h"
#include "cli/store_access.h"
#include "core/json.h"
#include "governance/policy.h"
#include "store/registry.h"

namespace tessera::cli {
namespace {

using core::ErrorCode;
using core::MakeError;

void Print(const std::string& out) { std::fwrite(out.data(), 1, out.size(), stdout); }

int ReportError(const core::Error& error) {
  std::cerr << "tessera: " << error.ToString() << '\n';
  return ExitCodeFor(error.code);
}

struct CommunityOptions {
  std::string db;
  bool json = false;
  std::string name;
  std::string description;
  bool confidential = false;
  std::vector<std::string> partners;
  ReaderOptions reader;
};

std::string Target(const std::string& community) {
  std::string target = "community:";
  return target.append(community);
}

core::Error NoCommunity(const std::string& name) {
  std::string message = "no community named ";
  message.append(name);
  return MakeError(ErrorCode::kNotFound, std::move(message));
}

std::string Joined(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) {
    if (!out.empty()) out.append(", ");
    out.append(item);
  }
  return out;
}

void WriteStrings(core::JsonWriter* w, const std::vector<std::string>& items) {
  w->BeginArray();
  for (const std::string& item : items) w->String(item);
  w->EndArray();
}

// A community as one reader may see it: `members_hidden` when it is
// confidential and the reader a member (members then holds the reader alone).
struct CommunityView {
  store::CommunityRecord community;
  bool members_hidden = false;
};

void WriteCommunityJson(core::JsonWriter* w, const CommunityView& view) {
  const store::CommunityRecord& c = view.community;
  w->BeginObject().Key("name").String(c.name).Key("description").String(c.description);
  w->Key("confidential").Bool(c.confidential);
  w->Key("created").String(store::FormatMicros(c.created));
  w->Key("members");
  WriteStrings(w, c.members);
  w->Key("member_count");
  if (view.members_hidden) {
    w->Null();
  } else {
    w->Int(static_cast<int64_t>(c.members.size()));
  }
  w->EndObject();
}

std::string MembersText(const CommunityView& view) {
  const std::vector<std::string>& members = view.community.members;
  if (view.members_hidden) {
    std::string out = "members: confidential (you: ";
    return out.append(Joined(members)).append(")");
  }
  std::string out = std::to_string(members.size());
  out.append(members.size() == 1 ? " member" : " members");
  if (!members.empty()) out.append(": ").append(Joined(members));
  return out;
}

int Add(const CommunityOptions& opt) {
  if (auto s = CheckRegistryName("community", opt.name); !s.ok()) return ReportError(s.error());
  auto opened = OpenCommandStore(opt.db, /*write=*/true);
  if (!opened.ok()) return ReportStoreOpenError(opened.error());
  auto policy = OpenPolicy(**opened);
  if (!policy.ok()) return ReportError(policy.error());
  store::CommunityRecord community;
  community.name = opt.name;
  community.description = opt.description;
  community.confidential = opt.confidential;
  community.created = NowMicros();
  if (auto s = (*policy)->registry().AddCommunity(community); !s.ok()) {
    return ReportError(s.error());
  }
  std::string details;
  {
    core::JsonWriter w(&details);
    w.BeginObject().Key("description").String(community.description);
    w.Key("confidential").Bool(community.confidential).EndObject();
  }
  if (int code = AuditChange(**policy, "community.add", Target(community.name), details);
      code != kExitOk) {
    return code;
  }
  std::string out;
  CommunityView view{std::move(community), false};
  if (opt.json) {
    core::JsonWriter w(&out);
    WriteCommunityJson(&w, view);
    out.push_back('\n');
  } else {
    out = "added community ";
    out.append(view.community.name);
    if (view.community.confidential) out.append(" (confidential)");
    out.append(": ").append(MembersText(view)).push_back('\n');
  }
  Print(out);
  return kExitOk;
}

int List(const CommunityOptions& opt) {
  auto opened = OpenCommandStore(opt.db, /*write=*/false);
  if (!opened.ok()) return ReportStoreOpenError(opened.error());
  auto policy = OpenPolicy(**opened);
  if (!policy.ok()) return ReportError(policy.error());
  auto reader = ResolveReader(**policy, opt.reader);
  if (!reader.ok()) return ReportError(reader.error());
  auto communities = (*policy)->registry().ListCommunities();
  if (!communities.ok()) return ReportError(communities.error());

  std::vector<CommunityView> views;
  const bool as_partner = reader->kind != governance::Reader::Kind::kOperator;
  for (store::CommunityRecord& c : *communities) {
    CommunityView view{std::move(c), false};
    if (as_partner) {
      const std::vector<std::string>& members = view.community.members;
      if (std::find(members.begin(), members.end(), reader->partner) == members.end()) continue;
      if (view.community.confidential) {
        view.community.members = {reader->partner};
        view.members_hidden = true;
      }
    }
    views.push_back(std::move(view));
  }
  std::string out;
  if (opt.json) {
    core::JsonWriter w(&out);
    w.BeginArray();
    for (const CommunityView& view : views) WriteCommunityJson(&w, view);
    w.EndArray();
    out.push_back('\n');
  } else if (views.empty()) {
    std::cerr << (as_partner ? "tessera: it is a member of no community\n"
                             : "tessera: no communities (add one with 'tessera community add')\n");
  } else {
    for (const CommunityView& view : views) {
      out.append(view.community.name);
      if (view.community.confidential) out.append(" (confidential)");
      out.append("  ").append(MembersText(view)).push_back('\n');
      if (!view.community.description.empty()) {
        out.append("  ").append(view.community.description).push_back('\n');
      }
    }
  }
  Print(out);
  return kExitOk;
}

// Joins (join = true) or leaves the community, for each partner named. Every
// partner must be registered and the community exist before anything changes.
int ChangeMembers(const CommunityOptions& opt, bool join) {
  auto opened = OpenCommandStore(opt.db, /*write=*/false);
  if (!opened.ok()) return ReportStoreOpenError(opened.error());
  auto policy = OpenPolicy(**opened);
  if (!policy.ok()) return ReportError(policy.error());
  store::Registry& registry = (*policy)->registry();
  auto community = registry.GetCommunity(opt.name);
  if (!community.ok()) return ReportError(community.error());
  if (!*community) return ReportError(NoCommunity(opt.name));
  std::vector<std::string> partners = opt.partners;
  std::sort(partners.begin(), partners.end());
  partners.erase(std::unique(partners.begin(), partners.end()), partners.end());
  for (const std::string& name : partners) {
    auto partner = registry.GetPartner(name);
    if (!partner.ok()) return ReportError(partner.error());
    if (!*partner) {
      std::string message = "no partner named ";
      message.append(name);
      return ReportError(MakeError(ErrorCode::kNotFound, std::move(message)));
    }
  }
  std::vector<std::string> changed;
  std::vector<std::string> unchanged;
  store::Micros now = NowMicros();
  for (const std::string& name : partners) {
    auto done = join ? registry.Join(opt.name, name, now) : registry.Leave(opt.name, name);
    if (!done.ok()) return ReportError(done.error());
    (*done ? changed : unchanged).push_back(name);
  }
  if (!changed.empty()) {
    std::string details;
    {
      core::JsonWriter w(&details);
      w.BeginObject().Key("partners");
      WriteStrings(&w, changed);
      w.EndObject();
    }
    if (int code = AuditChange(**policy, join ? "community.join" : "community.leave",
                               Target(opt.name), details);
        code != kExitOk) {
      return code;
    }
  }
  std::string out;
  if (opt.json) {
    core::JsonWriter w(&out);
    w.BeginObject().Key("community").String(opt.name).Key(join ? "joined" : "left");
    WriteStrings(&w, changed);
    w.Key(join ? "already_members" : "not_members");
    WriteStrings(&w, unchanged);
    w.EndObject();
    out.push_back('\n');
  } else {
    for (const std::string& name : changed) {
      out.append(name).append(join ? " joined " : " left ").append(opt.name).push_back('\n');
    }
    for (const std::string& name : unchanged) {
      out.append(name)
          .append(join ? " was already a member of " : " was not a member of ")
          .append(opt.name)
          .push_back('\n');
    }
  }
  Print(out);
  return kExitOk;
}

CLI::App* AddMembersSubcommand(CLI::App* community, const char* name, const char* help,
                               CommunityOptions* opt, const char* json_help) {
  CLI::App* cmd = community->add_subcommand(name, help);
  cmd->add_option("COMMUNITY", opt->name, "The community")->required();
  cmd->add_option("PARTNER", opt->partners, "Registered partners, one or more")->required();
  AddDbOption(cmd, &opt->db);
  cmd->add_flag("--json", opt->json, json_help);
  return cmd;
}

}  // namespace

void RegisterCommunityCommand(CLI::App& app, int* exit_code) {
  CLI::App* community = app.add_subcommand(
      "community",
      "Communities: groups of partners that share with each other (data shared to a community "
      "is seen by whoever is a member when reading). A confidential community does not tell "
      "its members who the other members are. Changes are recorded in the audit log. Exit 3 "
      "when a named community or partner does not exist, 4 when a name is taken.");
  community->require_subcommand(1);

  auto add = std::make_shared<CommunityOptions>();
  CLI::App* add_cmd = community->add_subcommand(
      "add",
      "Create a community (with no members) and print it. The database is created when "
      "missing. Audited as community.add. Exit 0; 2 for a bad name; 4 when the name is taken.");
  add_cmd->add_option("NAME", add->name, "The community's name")->required();
  add_cmd->add_option("--description", add->description, "A free-text description");
  add_cmd->add_flag("--confidential", add->confidential,
                    "Members do not learn who the other members are, nor how many there are");
  AddDbOption(add_cmd, &add->db);
  add_cmd->add_flag("--json", add->json,
                    "Print {name, description, confidential, created, members, member_count} as "
                    "JSON");
  add_cmd->callback([add, exit_code] { *exit_code = Add(*add); });

  auto list = std::make_shared<CommunityOptions>();
  CLI::App* list_cmd = community->add_subcommand(
      "list",
      "List communities with their members. As the operator: all of them, with every member. "
      "With --as PARTNER (or --token): only the communities that partner is a member of; for "
      "a confidential one only the partner itself is listed ('members: confidential'). Exit 0; "
      "3 when the --as partner does not exist; 5 when the token is refused.");
  AddReaderOptions(list_cmd, &list->reader);
  AddDbOption(list_cmd, &list->db);
  list_cmd->add_flag("--json", list->json,
                     "Print a JSON array of {name, description, confidential, created, members, "
                     "member_count (null when confidential and read as a member)}");
  list_cmd->callback([list, exit_code] { *exit_code = List(*list); });

  auto join = std::make_shared<CommunityOptions>();
  AddMembersSubcommand(
      community, "join",
      "Make partners members of a community. A partner that is a member already is left as it "
      "is (and said so). Audited as community.join with the partners that joined. Exit 0, or 3 "
      "when the community or a partner does not exist (then nothing changes).",
      join.get(), "Print {community, joined, already_members} as JSON")
      ->callback([join, exit_code] { *exit_code = ChangeMembers(*join, true); });

  auto leave = std::make_shared<CommunityOptions>();
  AddMembersSubcommand(
      community, "leave",
      "Remove partners from a community. Data shared to the community stays shared with it; "
      "a partner that left no longer reads it. Audited as community.leave with the partners "
      "that left. Exit 0, or 3 when the community or a partner does not exist (then nothing "
      "changes).",
      leave.get(), "Print {community, left, not_members} as JSON")
      ->callback([leave, exit_code] { *exit_code = ChangeMembers(*leave, false); });
}

}  // namespace tessera::cli

// The STIX 1.x reader: detection, the package walk (one record per top-level
// component) and the mapping of STIX 1 components to STIX 2.1 SDOs and SROs.
// CybOX observables are mapped in cybox.cc.

#include "formats/stix1/stix1.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <map>
#include <pugixml.hpp>
#include <set>
#include <span>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

#include "core/json.h"
#include "formats/stix1/stix1_internal.h"
#include "formats/stix_build.h"
#include "formats/xml_nodes.h"
#include "normalize/classify.h"
#include "stix/tlp.h"

namespace tessera::formats {
namespace stix1 {
namespace {

using core::Json;

constexpr std::string_view kStix1Namespace = "http://stix.mitre.org/stix-1";

Json Str(std::string_view s) { return Json::String(std::string(s)); }

// ---- Relationship types ----------------------------------------------------------

// The first word of a space-separated list; `list` keeps the words after it.
std::string_view NextWord(std::string_view* list) {
  size_t sp = list->find(' ');
  std::string_view word = list->substr(0, sp);
  list->remove_prefix(sp == std::string_view::npos ? list->size() : sp + 1);
  return word;
}

// The relationships STIX 2.1 defines (§4.x "Relationships" tables) between the
// types this reader makes, and incident attributed-to threat-actor (STIX 1's
// Attributed_Threat_Actors; STIX 2.1 lists no relationships for incident);
// anything else becomes related-to.
bool Defined(std::string_view src, std::string_view rel, std::string_view tgt) {
  struct Row {
    std::string_view src;
    std::string_view rel;
    std::string_view targets;  // space-separated
  };
  static constexpr Row kRows[] = {
      {"indicator", "indicates",
       "attack-pattern campaign infrastructure intrusion-set malware threat-actor tool"},
      {"indicator", "based-on", "observed-data"},
      {"attack-pattern", "targets", "identity location vulnerability"},
      {"attack-pattern", "uses", "malware tool"},
      {"attack-pattern", "delivers", "malware"},
      {"campaign", "uses", "attack-pattern infrastructure malware tool"},
      {"campaign", "targets", "identity location vulnerability"},
      {"campaign", "attributed-to", "intrusion-set threat-actor"},
      {"course-of-action", "mitigates", "attack-pattern indicator malware tool vulnerability"},
      {"course-of-action", "investigates", "indicator"},
      {"identity", "located-at", "location"},
      {"infrastructure", "uses", "infrastructure"},
      {"infrastructure", "has", "vulnerability"},
      {"infrastructure", "hosts", "malware tool"},
      {"malware", "uses", "attack-pattern infrastructure malware tool"},
      {"malware", "targets", "identity infrastructure location vulnerability"},
      {"malware", "exploits", "vulnerability"},
      {"threat-actor", "uses", "attack-pattern infrastructure malware tool"},
      {"threat-actor", "targets", "identity location vulnerability"},
      {"threat-actor", "attributed-to", "identity"},
      {"threat-actor", "located-at", "location"},
      {"tool", "uses", "infrastructure"},
      {"tool", "targets", "identity infrastructure location vulnerability"},
      {"incident", "attributed-to", "threat-actor"},
  };
  for (const Row& row : kRows) {
    if (row.src != src || row.rel != rel) continue;
    for (std::string_view targets = row.targets; !targets.empty();) {
      if (NextWord(&targets) == tgt) return true;
    }
  }
  return false;
}

std::string_view TypeOf(std::string_view id) { return id.substr(0, id.find("--")); }

// The first of `wanted` (space-separated) STIX 2.1 defines between the two
// types, else related-to.
std::string RelType(std::string_view src, std::string_view wanted, std::string_view tgt) {
  for (std::string_view rest = wanted; !rest.empty();) {
    std::string_view rel = NextWord(&rest);
    if (Defined(TypeOf(src), rel, TypeOf(tgt))) return std::string(rel);
  }
  return "related-to";
}

// STIX 2.1 §3.? confidence: the STIX 1 High/Medium/Low vocabulary as the
// Appendix A "Low/Med/High" scale (15/50/85); a number 0-100 as itself.
int ConfidenceValue(std::string_view text);

// A count (sightings_count, Sighting_Count): a non-negative integer below 10^9, or -1.
int64_t ParseCount(std::string_view text) {
  text = Trim(text);
  if (text.empty() || text.size() > 9) return -1;
  int64_t v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return -1;
    v = v * 10 + (c - '0');
  }
  return v;
}

int ConfidenceValue(std::string_view text) {
  text = Trim(text);
  if (text == "High") return 85;
  if (text == "Medium") return 50;
  if (text == "Low") return 15;
  if (text == "None") return 0;
  if (text.empty() || text.size() > 3) return -1;
  int v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return -1;
    v = v * 10 + (c - '0');
  }
  return v <= 100 ? v : -1;
}

// Package_Intent and Report Intent values to report-type-ov where one fits.
std::string ReportType(std::string_view intent) {
  static constexpr std::pair<std::string_view, std::string_view> kTypes[] = {
      {"Threat Report", "threat-report"},
      {"Indicators", "indicator"},
      {"Campaign Characterization", "campaign"},
      {"Threat Actor Characterization", "threat-actor"},
      {"Threat Actor Report", "threat-actor"},
      {"Malware Characterization", "malware"},
      {"Attack Pattern Characterization", "attack-pattern"},
      {"Exploit Characterization", "vulnerability"},
      {"Observations", "observed-data"},
      {"Observations - Email", "observed-data"},
  };
  for (const auto& [from, to] : kTypes) {
    if (from == intent) return std::string(to);
  }
  std::string slug = Slug(intent);
  if (slug.rfind("indicators-", 0) == 0) slug.erase(9, 1);  // "indicator-watchlist"
  return slug;
}

// The component lists of a package (section, item).
constexpr std::pair<std::string_view, std::string_view> kSections[] = {
    {"Observables", "Observable"},
    {"Indicators", "Indicator"},
    {"TTPs", "TTP"},
    {"Exploit_Targets", "Exploit_Target"},
    {"Incidents", "Incident"},
    {"Courses_Of_Action", "Course_Of_Action"},
    {"Campaigns", "Campaign"},
    {"Threat_Actors", "Threat_Actor"},
    {"Reports", "Report"}};

// ---- The reader --------------------------------------------------------------------

// One record in the making: the objects of a top-level component (and of the
// components it holds inline), with their common markings and creator.
struct Builder {
  std::vector<Json> objects;
  std::unordered_set<std::string> added;  // ids of SCOs and relationships already in `objects`
  std::vector<std::string> notes;
  std::vector<std::string> shared;  // ids of shared objects the record uses
  std::vector<std::string> ts;      // timestamps of the components being mapped (innermost last)
};

class Reader {
 public:
  // `base`: the input offset of text[0].
  Reader(const Package& package, std::string_view text, uint64_t base, std::string file, Sink& sink)
      : package_(package), lines_(text), base_(base), file_(std::move(file)), sink_(sink) {}

  void Run() { RunPackage(package_.root(), 0); }

 private:
  using Ids = std::vector<std::string>;
  using Mapped = core::Result<Ids>;

  // Component mappings: the ids of the main objects made.
  Mapped Indicator(Builder& b, pugi::xml_node node, int depth);
  Mapped Ttp(Builder& b, pugi::xml_node node, int depth);
  Mapped ThreatActor(Builder& b, pugi::xml_node node, int depth);
  Mapped Campaign(Builder& b, pugi::xml_node node, int depth);
  Mapped Incident(Builder& b, pugi::xml_node node, int depth);
  Mapped ExploitTarget(Builder& b, pugi::xml_node node, int depth);
  Mapped CourseOfAction(Builder& b, pugi::xml_node node, int depth);
  Mapped Report(Builder& b, pugi::xml_node node, int depth);
  Mapped TopObservable(Builder& b, pugi::xml_node node);
  Mapped Component(Builder& b, pugi::xml_node node, int depth);

  // The pattern of an Indicator (its Observable or Composite_Indicator_Expression),
  // for composite expressions; SCOs join the builder.
  core::Result<std::string> IndicatorPattern(Builder& b, pugi::xml_node node, Json* leftovers,
                                             const std::string& path, int depth);
  core::Result<std::string> ObservablePattern(Builder& b, pugi::xml_node obs, Json* leftovers,
                                              const std::string& path, Ids* sco_ids);

  // A referenced or inline component: its ids (an inline one is mapped into `b`).
  Mapped Resolve(Builder& b, pugi::xml_node component, int depth);
  // Items of a Related_X list: the component element, the relationship text,
  // and the item's other fields.
  struct Related {
    pugi::xml_node component;
    std::string relationship;
    int confidence = -1;
  };
  // `list` names the wrapper (Related_TTPs), or "" when the items are direct
  // children named `item` (Indicated_TTP).
  std::vector<Related> RelatedList(Fields& f, std::string_view list, std::string_view item,
                                   std::string_view component, Json* leftovers);
  // Relationships from each source to each target: the first type of `wanted`
  // (space-separated) that STIX 2.1 defines between the two, else related-to.
  void Relate(Builder& b, const Ids& sources, std::string_view wanted, const Ids& targets,
              const Related* item, bool reverse = false);

  // One component being mapped: its timestamp (innermost in b.ts until Finish),
  // where its objects start in b.objects, its element's fields and their
  // leftovers (kept on its first object), and the markings and creator its
  // objects get.
  struct Scope {
    Scope(std::string timestamp, size_t first, pugi::xml_node node)
        : ts(std::move(timestamp)), start(first), f(node, "") {}
    std::string ts;
    size_t start = 0;
    Fields f;
    Json leftovers = Json::MakeObject();
    Ids markings;
    std::string creator;
  };
  Scope Open(Builder& b, pugi::xml_node node);
  // Adds the creator (from the `source` element, unless one is set) and the
  // Handling markings, keeps the leftovers (those of `inner` first) and owns the
  // objects made; returns `ids`.
  Ids Finish(Builder& b, Scope& c, Ids ids, std::string_view source = "Information_Source",
             std::initializer_list<const Fields*> inner = {});

  // Which way the relationships of a Related_X list point: from the component
  // to each item, from each item to the component, or (kToIdrefItem) to each
  // item that references its component by idref (an inline one is kept as a field).
  enum class Direction { kToItem, kFromItem, kToIdrefItem };
  // A Related_X list of a component and the relationships its items get.
  struct Link {
    std::string_view list;  // as for RelatedList
    std::string_view item;
    std::string_view component;
    std::string_view wanted;  // as for Relate
    Direction direction = Direction::kToItem;
  };
  // Relates `ids` to the components of each list in turn (an Observable's
  // SCOs, an inline component mapped into `b`).
  core::Status RelateLinks(Builder& b, Scope& c, const Ids& ids, std::span<const Link> links,
                           int depth);

  // An indicator's patterns: {pattern, pattern_type}.
  using Pattern = std::pair<std::string, std::string>;
  void TestMechanismPatterns(Scope& c, std::vector<Pattern>* patterns);
  // The sightings of an indicator, `key` its STIX 1 key.
  void Sightings(Builder& b, Scope& c, const std::string& key, const std::string& indicator_id);
  void AddRelationship(Builder& b, const std::string& src, const std::string& rel,
                       const std::string& tgt, const Related* item);

  // The ids a STIX 1 component element maps to (also for idrefs to components
  // elsewhere in the package, or absent from it).
  Ids TargetsOf(pugi::xml_node element) const;
  struct TtpPart {
    std::string type;
    std::string id;
    pugi::xml_node element;
  };
  std::vector<TtpPart> TtpParts(pugi::xml_node ttp) const;
  std::string KeyOf(pugi::xml_node node) const;  // the STIX 1 id, or a key for elements without
  std::string Ts(Builder& b, pugi::xml_node node) const;

  // Handling: the marking-definition ids; unmapped structures go to leftovers.
  Ids Markings(pugi::xml_node handling, Json* leftovers, const std::string& path);
  // An Identity element: the identity's id ("" when it names nobody); the
  // identity (and its locations) become shared objects.
  std::string IdentityOf(pugi::xml_node identity, const std::string& fallback_key);
  std::string SourceIdentity(pugi::xml_node source);  // Information_Source/Producer
  void Locate(Builder* b, std::vector<Json>* group, const std::string& owner,
              const std::vector<Json>& locations, const std::string& created);
  // Takes an Information_Source (or Producer): the creator's identity id; what
  // else it holds goes to leftovers.
  std::string Creator(Fields& f, Json* leftovers, std::string_view element = "Information_Source");
  void Own(Builder& b, size_t from, const Ids& markings, const std::string& creator);
  void Share(Builder& b, const std::string& id) { b.shared.push_back(id); }

  void Common(Fields& f, Json* obj, bool kill_chains);
  std::string Description(Fields& f, std::string_view prefix = "");

  void Emit(Builder& b, pugi::xml_node component);
  core::Error Fail(pugi::xml_node where, std::string message) const;
  void Reject(pugi::xml_node component, const std::string& message);
  SourcePosition PositionOf(pugi::xml_node node) const;

  const Package& package_;
  // Records come in document order only within a package: nested packages
  // make positions go back, so lines are found by an index, not a cursor.
  LineIndex lines_;
  uint64_t base_ = 0;
  std::string file_;
  Sink& sink_;
  uint64_t index_ = 0;
  std::map<std::string, std::vector<Json>, std::less<>> shared_objects_;
  std::set<std::string, std::less<>> emitted_;
  // The package being read (Related_Packages nest): its markings, creator,
  // timestamp (or now) and the ids of its objects.
  void RunPackage(pugi::xml_node root, int depth);
  void RunPackageBody(pugi::xml_node root, int depth);
  Ids package_markings_;
  std::string package_creator_;
  std::string package_ts_;
  Ids all_ids_;
};

std::string Reader::KeyOf(pugi::xml_node node) const {
  std::string_view id = Attr(node, "id");
  if (!id.empty()) return std::string(id);
  std::string_view idref = Attr(node, "idref");
  if (!idref.empty()) return std::string(idref);
  return std::string(Attr(package_.root(), "id")) + "#" + package_.PathOf(node);
}

std::string Reader::Ts(Builder& b, pugi::xml_node node) const {
  std::string own = StixTimestamp(Attr(node, "timestamp"));
  if (!own.empty()) return own;
  if (!b.ts.empty()) return b.ts.back();
  return package_ts_;
}

std::vector<Reader::TtpPart> Reader::TtpParts(pugi::xml_node ttp) const {
  std::vector<TtpPart> parts;
  auto add = [&](std::string_view type, pugi::xml_node el) {
    parts.push_back(TtpPart{std::string(type), "", el});
  };
  if (pugi::xml_node behavior = Child(ttp, "Behavior")) {
    if (pugi::xml_node list = Child(behavior, "Attack_Patterns")) {
      for (pugi::xml_node ap : Children(list, "Attack_Pattern")) add("attack-pattern", ap);
    }
    if (pugi::xml_node list = Child(behavior, "Malware")) {
      for (pugi::xml_node m : Children(list, "Malware_Instance")) add("malware", m);
    }
  }
  if (pugi::xml_node resources = Child(ttp, "Resources")) {
    if (pugi::xml_node list = Child(resources, "Tools")) {
      for (pugi::xml_node t : Children(list, "Tool")) add("tool", t);
    }
    for (pugi::xml_node infra : Children(resources, "Infrastructure")) add("infrastructure", infra);
  }
  bool acts = !parts.empty();
  for (pugi::xml_node victim : Children(ttp, "Victim_Targeting")) add("identity", victim);
  // A TTP that only names its victims is a victim profile; one that says more
  // (effects, phases, related TTPs) is also an attack pattern of its own.
  bool more = false;
  for (std::string_view extra : {"Description", "Intended_Effect", "Kill_Chain_Phases",
                                 "Related_TTPs", "Exploit_Targets", "Behavior", "Resources"}) {
    more = more || Child(ttp, extra);
  }
  if (!acts && (parts.empty() || more))
    parts.insert(parts.begin(), TtpPart{"attack-pattern", "", ttp});
  // A part with an id of its own keeps it; the first other part takes the TTP's.
  std::string key = KeyOf(ttp);
  bool ttp_id_used = false;
  for (size_t i = 0; i < parts.size(); ++i) {
    std::string_view own = Attr(parts[i].element, "id");
    if (!own.empty() && parts[i].element != ttp) {
      parts[i].id = MapId(parts[i].type, own);
    } else if (!ttp_id_used) {
      parts[i].id = MapId(parts[i].type, key);
      ttp_id_used = true;
    } else {
      parts[i].id =
          DeterministicId(parts[i].type, key + "#" + parts[i].type + "#" + std::to_string(i));
    }
  }
  return parts;
}

Reader::Ids Reader::TargetsOf(pugi::xml_node element) const {
  std::string_view local = LocalName(element);
  std::string_view idref = Attr(element, "idref");
  pugi::xml_node node = element;
  if (!idref.empty()) {
    pugi::xml_node defined = package_.Find(idref);
    if (defined && LocalName(defined) == local) node = defined;
  }
  std::string key = KeyOf(node);
  if (local == "TTP") {
    if (!idref.empty() && node == element) return {MapId("attack-pattern", key)};
    Ids ids;
    for (const TtpPart& p : TtpParts(node)) ids.push_back(p.id);
    return ids;
  }
  if (local == "Exploit_Target") {
    std::vector<pugi::xml_node> vulns = Children(node, "Vulnerability");
    Ids ids = {MapId("vulnerability", key)};
    for (size_t i = 1; i < vulns.size(); ++i) {
      ids.push_back(DeterministicId("vulnerability", key + "#" + std::to_string(i)));
    }
    return ids;
  }
  static constexpr std::pair<std::string_view, std::string_view> kTypes[] = {
      {"Indicator", "indicator"},
      {"Threat_Actor", "threat-actor"},
      {"Campaign", "campaign"},
      {"Incident", "incident"},
      {"Course_Of_Action", "course-of-action"},
      {"Report", "report"},
      {"Observable", "observed-data"},
  };
  for (const auto& [name, type] : kTypes) {
    if (name == local) return {MapId(type, key)};
  }
  return {};
}

// ---- Shared objects: markings and identities ------------------------------------------

Reader::Ids Reader::Markings(pugi::xml_node handling, Json* leftovers, const std::string& path) {
  Ids ids;
  if (!handling) return ids;
  std::string created = package_ts_;
  auto statement = [&](pugi::xml_node structure, const std::string& text) {
    std::string_view sid = Attr(structure, "id");
    std::string id = sid.empty() ? DeterministicId("marking-definition", text)
                                 : MapId("marking-definition", sid);
    if (shared_objects_.find(id) == shared_objects_.end()) {
      Json def = Json::MakeObject();
      def.Set("type", Str("marking-definition"));
      def.Set("spec_version", Str("2.1"));
      def.Set("id", Str(id));
      def.Set("created", Str(created));
      def.Set("definition_type", Str("statement"));
      def.Set("definition", Json::MakeObject({{"statement", Str(text)}}));
      shared_objects_[id] = {std::move(def)};
    }
    ids.push_back(id);
  };
  auto tlp = [&](std::string_view color) -> bool {
    auto level = stix::TlpLevelFromTag("TLP:" + std::string(color));
    if (!level) return false;
    std::string id(stix::Tlp2MarkingId(*level));
    if (shared_objects_.find(id) == shared_objects_.end()) {
      shared_objects_[id] = {stix::Tlp2MarkingDefinition(*level)};
    }
    ids.push_back(id);
    return true;
  };
  Fields hf(handling, path);
  for (pugi::xml_node marking : hf.TakeAll("Marking")) {
    Fields mk(marking, path + "/Marking");
    mk.Take("Controlled_Structure");  // not evaluated: see docs/formats/stix1.md
    for (pugi::xml_node structure : mk.TakeAll("Marking_Structure")) {
      pugi::xml_node s = structure;
      if (std::string_view idref = Attr(structure, "idref"); !idref.empty()) {
        s = package_.Find(idref);
        if (!s) {
          AddField(leftovers, path + "/Marking/Marking_Structure", LeftoverValue(structure));
          continue;
        }
      }
      std::string_view type = XsiType(s);
      bool mapped = false;
      if (type == "TLPMarkingStructureType") {
        mapped = tlp(Attr(s, "color"));
      } else if (type == "TermsOfUseMarkingStructureType") {
        std::string text = Text(Child(s, "Terms_Of_Use"));
        if (!text.empty()) {
          statement(s, text);
          mapped = true;
        }
      } else if (type == "SimpleMarkingStructureType") {
        std::string text = Text(Child(s, "Statement"));
        if (!text.empty()) {
          statement(s, text);
          mapped = true;
        }
      } else if (type == "AISMarkingStructure") {
        // US-CERT AIS: the TLP colour, and consent/proprietary as a statement.
        pugi::xml_node body = Child(s, "Not_Proprietary");
        std::string kind = "Not_Proprietary";
        if (!body) {
          body = Child(s, "Is_Proprietary");
          kind = "Is_Proprietary";
        }
        if (body) {
          bool tlp_ok = true;
          if (pugi::xml_node color = Child(body, "TLPMarking")) tlp_ok = tlp(Attr(color, "color"));
          std::string text = "AIS " + kind;
          if (std::string_view p = Attr(body, "CISA_Proprietary"); !p.empty()) {
            text += "; CISA_Proprietary=" + std::string(p);
          }
          if (pugi::xml_node consent = Child(body, "AISConsent")) {
            text += "; consent=" + std::string(Attr(consent, "consent"));
          }
          statement(s, text);
          mapped = tlp_ok;
        }
      }
      if (!mapped) AddField(leftovers, path + "/Marking/Marking_Structure", LeftoverValue(s));
    }
    mk.Leftovers(leftovers);
  }
  hf.Leftovers(leftovers);
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  return ids;
}

// What an Identity element says (stixCommon:Name, or an OASIS CIQ 3.0 xPIL
// Specification): names, kind, sectors, contacts, addresses.
struct IdentityFacts {
  std::vector<std::string> names;
  std::string identity_class;
  std::vector<std::string> sectors;
  std::vector<std::string> contacts;
  std::vector<Json> locations;  // {country, administrative_area, city}
};

IdentityFacts ParseIdentity(pugi::xml_node identity, Json* fields) {
  IdentityFacts out;
  Fields f(identity, "");
  if (std::string name = f.TakeText("Name"); !name.empty()) out.names.push_back(name);
  if (pugi::xml_node spec = f.Take("Specification")) {
    Fields s(spec, "Specification");
    if (pugi::xml_node party = s.Take("PartyName")) {
      Fields p(party, s.PathOf("PartyName"));
      for (std::string_view kind : {"OrganisationName", "PersonName"}) {
        for (pugi::xml_node n : p.TakeAll(kind)) {
          std::string full;
          for (pugi::xml_node e : Elements(n)) {  // NameElement, SubDivisionName
            std::string t = Text(e);
            if (!t.empty()) full += (full.empty() ? "" : " ") + t;
          }
          if (full.empty()) continue;
          if (out.identity_class.empty()) {
            out.identity_class = kind == "PersonName" ? "individual" : "organization";
          }
          out.names.push_back(full);
        }
      }
      for (pugi::xml_node n : p.TakeAll("NameLine")) {
        if (!Text(n).empty()) out.names.push_back(Text(n));
      }
      p.Leftovers(fields);
    }
    if (pugi::xml_node addresses = s.Take("Addresses")) {
      Fields a(addresses, s.PathOf("Addresses"));
      for (pugi::xml_node address : a.TakeAll("Address")) {
        Fields ad(address, a.PathOf("Address"));
        std::vector<std::string> countries;
        if (pugi::xml_node country = ad.Take("Country")) {
          for (pugi::xml_node e : Children(country, "NameElement")) {
            std::string code(AttrLocal(e, "NameCode"));
            countries.push_back(code.empty() ? Text(e) : code);
          }
        }
        std::string area;
        pugi::xml_node admin = Child(address, "AdministrativeArea");
        if (admin) {
          pugi::xml_node e = Child(admin, "NameElement");
          area = AttrLocal(e, "NameCode").empty() ? Text(e) : std::string(AttrLocal(e, "NameCode"));
        }
        std::string city;
        pugi::xml_node locality = Child(address, "Locality");
        if (locality) city = Text(Child(locality, "NameElement"));
        bool made = false;
        for (const std::string& country : countries) {
          if (country.empty()) continue;
          Json loc = Json::MakeObject({{"country", Str(country)}});
          if (!area.empty()) loc.Set("administrative_area", Str(area));
          if (!city.empty()) loc.Set("city", Str(city));
          out.locations.push_back(std::move(loc));
          made = true;
        }
        // What the locations carry is used; anything finer stays a source field.
        if (made && admin && Elements(admin).size() == 1) ad.Use(admin);
        if (made && locality && Elements(locality).size() == 1) ad.Use(locality);
        ad.Leftovers(fields);
      }
      a.Leftovers(fields);
    }
    if (pugi::xml_node list = s.Take("ElectronicAddressIdentifiers")) {
      for (pugi::xml_node e : Children(list, "ElectronicAddressIdentifier")) {
        if (!Text(e).empty()) out.contacts.push_back(Text(e));
      }
    }
    if (pugi::xml_node info = s.Take("OrganisationInfo")) {
      Fields oi(info, s.PathOf("OrganisationInfo"));
      for (pugi::xml_attribute attr : info.attributes()) {
        if (LocalName(attr.name()) != "IndustryType") continue;
        oi.TakeAttr(attr.name());
        std::string_view rest = attr.value();
        while (!rest.empty()) {
          size_t bar = rest.find('|');
          std::string sector = Slug(rest.substr(0, bar));
          if (!sector.empty()) out.sectors.push_back(sector);
          if (bar == std::string_view::npos) break;
          rest.remove_prefix(bar + 1);
        }
      }
      oi.Leftovers(fields);
    }
    s.Leftovers(fields);
  }
  f.Leftovers(fields);
  return out;
}

// The location objects of an identity's addresses (ids from their content, so
// the same place is one object) with `owner` located-at each; the locations
// become shared objects of `b`.
void Reader::Locate(Builder* b, std::vector<Json>* group, const std::string& owner,
                    const std::vector<Json>& locations, const std::string& created) {
  for (const Json& loc : locations) {
    std::string key = loc.Find("country")->as_string();
    for (const char* k : {"administrative_area", "city"}) {
      key += "|";
      if (const Json* v = loc.Find(k)) key += v->as_string();
    }
    std::string loc_id = DeterministicId("location", key);
    if (shared_objects_.find(loc_id) == shared_objects_.end()) {
      Json full = NewObject("location", loc_id, created, created);
      for (const auto& [k, v] : loc.as_object()) full.Set(k, v);
      shared_objects_[loc_id] = {std::move(full)};
    }
    if (b != nullptr) Share(*b, loc_id);
    Json rel = NewRelationship(owner, "located-at", loc_id, created);
    if (b != nullptr) {
      b->objects.push_back(std::move(rel));
    } else {
      group->push_back(std::move(rel));
      group->push_back(shared_objects_[loc_id].front());
    }
  }
}

std::string Reader::IdentityOf(pugi::xml_node identity, const std::string& fallback_key) {
  if (!identity) return {};
  if (std::string_view idref = Attr(identity, "idref");
      !idref.empty() && !Child(identity, "Name")) {
    if (pugi::xml_node defined = package_.Find(idref)) identity = defined;
  }
  Json fields = Json::MakeObject();
  IdentityFacts facts = ParseIdentity(identity, &fields);
  if (facts.names.empty()) return {};
  std::string name = facts.names.front();
  std::string_view own = Attr(identity, "id");
  std::string id = own.empty()
                       ? DeterministicId("identity", fallback_key.empty() ? name : fallback_key)
                       : MapId("identity", own);
  if (shared_objects_.find(id) != shared_objects_.end()) return id;
  std::string created = package_ts_;
  Json obj = NewObject("identity", id, created, created);
  obj.Set("name", Str(name));
  if (!facts.identity_class.empty()) obj.Set("identity_class", Str(facts.identity_class));
  for (const std::string& sector : facts.sectors) AddToList(&obj, "sectors", sector);
  std::string contact;
  for (const std::string& c : facts.contacts) contact += (contact.empty() ? "" : "; ") + c;
  if (!contact.empty()) obj.Set("contact_information", Str(contact));
  if (facts.names.size() > 1) {
    // Identities have no aliases property: the other names are kept as source fields.
    Json names = Json::MakeArray();
    for (size_t i = 1; i < facts.names.size(); ++i) names.as_array().push_back(Str(facts.names[i]));
    fields.Set("other_names", std::move(names));
  }
  KeepSourceFields(&obj, kFormatName, std::move(fields));
  std::vector<Json> group = {std::move(obj)};
  Locate(nullptr, &group, id, facts.locations, created);
  shared_objects_[id] = std::move(group);
  return id;
}

std::string Reader::SourceIdentity(pugi::xml_node source) {
  if (!source) return {};
  pugi::xml_node identity = Child(source, "Identity");
  if (!identity) {
    if (pugi::xml_node contributing = Child(source, "Contributing_Sources")) {
      if (pugi::xml_node first = Child(contributing, "Source")) identity = Child(first, "Identity");
    }
  }
  return IdentityOf(identity, "");
}

std::string Reader::Creator(Fields& f, Json* leftovers, std::string_view element) {
  pugi::xml_node source = f.Take(element);
  if (!source) return {};
  std::string who = SourceIdentity(source);
  Fields s(source, std::string(element));
  if (!who.empty() && Child(source, "Identity")) s.Take("Identity");
  s.Leftovers(leftovers);
  return who;
}

// Marks the objects made from `from` on with the component's markings and
// creator (SDOs and SROs only get created_by_ref; an inner component's own
// creator, set first, wins).
void Reader::Own(Builder& b, size_t from, const Ids& markings, const std::string& creator) {
  for (size_t i = from; i < b.objects.size(); ++i) {
    Json& o = b.objects[i];
    for (const std::string& m : markings) AddMarking(&o, m);
    bool sco = o.Find("created") == nullptr;
    if (!creator.empty() && !sco && o.Find("created_by_ref") == nullptr) {
      o.Set("created_by_ref", Str(creator));
    }
  }
  for (const std::string& m : markings) Share(b, m);
  if (!creator.empty()) Share(b, creator);
}

std::string Reader::Description(Fields& f, std::string_view prefix) {
  std::string out(prefix);
  for (std::string_view name : {"Description", "Short_Description"}) {
    for (pugi::xml_node d : f.TakeAll(name)) {
      std::string t = Text(d);
      if (t.empty()) continue;
      if (!out.empty()) out += "\n\n";
      out += t;
    }
  }
  return out;
}

// Title, description, kill chain phases, confidence of a component.
void Reader::Common(Fields& f, Json* obj, bool kill_chains) {
  std::string description = Description(f);
  if (!description.empty()) obj->Set("description", Str(description));
  if (kill_chains) {
    if (pugi::xml_node phases = f.Take("Kill_Chain_Phases")) {
      Json list = Json::MakeArray();
      for (pugi::xml_node phase : Children(phases, "Kill_Chain_Phase")) {
        KillChainPhase kcp;
        if (!package_.ResolvePhase(phase, &kcp)) continue;
        Json entry =
            Json::MakeObject({{"kill_chain_name", Str(kcp.chain)}, {"phase_name", Str(kcp.phase)}});
        bool dup = false;
        for (const Json& e : list.as_array()) dup = dup || e == entry;
        if (!dup) list.as_array().push_back(std::move(entry));
      }
      if (!list.as_array().empty()) obj->Set("kill_chain_phases", std::move(list));
    }
  }
  if (pugi::xml_node confidence = f.Take("Confidence")) {
    int v = ConfidenceValue(Text(Child(confidence, "Value")));
    if (v >= 0) obj->Set("confidence", Json::Int(v));
    if (v < 0 || Child(confidence, "Description") || Child(confidence, "Source")) {
      Json kept = Json::MakeObject();
      AddField(&kept, "Confidence", LeftoverValue(confidence));
      KeepSourceFields(obj, kFormatName, std::move(kept));
    }
  }
}

std::vector<Reader::Related> Reader::RelatedList(Fields& f, std::string_view list,
                                                 std::string_view item_name,
                                                 std::string_view component, Json* leftovers) {
  std::vector<Related> out;
  std::vector<pugi::xml_node> items;
  if (list.empty()) {
    items = f.TakeAll(item_name);
  } else {
    for (pugi::xml_node l : f.TakeAll(list)) {
      for (pugi::xml_node item : Elements(l)) items.push_back(item);
    }
  }
  std::string prefix =
      list.empty() ? std::string(item_name) : std::string(list) + "/" + std::string(item_name);
  for (pugi::xml_node item : items) {
    Related r;
    if (LocalName(item) == component && !Child(item, component)) {
      r.component = item;  // components listed directly (Attributed_Threat_Actors)
    } else {
      Fields it(item, "");
      r.component = it.Take(component);
      r.relationship = it.TakeText("Relationship");
      if (pugi::xml_node c = Child(item, "Confidence")) {
        r.confidence = ConfidenceValue(Text(Child(c, "Value")));
        if (r.confidence >= 0) it.Use(c);  // else kept as written
      }
      Json extra = Json::MakeObject();
      it.Leftovers(&extra);
      for (auto& [k, v] : extra.as_object()) AddField(leftovers, prefix + "/" + k, v);
    }
    if (r.component) out.push_back(std::move(r));
  }
  return out;
}

void Reader::AddRelationship(Builder& b, const std::string& src, const std::string& rel,
                             const std::string& tgt, const Related* item) {
  if (src.empty() || tgt.empty() || src == tgt) return;
  std::string ts = b.ts.empty() ? package_.context().now : b.ts.back();
  Json r = NewRelationship(src, rel, tgt, ts);
  if (item != nullptr && !item->relationship.empty()) r.Set("description", Str(item->relationship));
  if (item != nullptr && item->confidence >= 0) r.Set("confidence", Json::Int(item->confidence));
  if (!b.added.insert(r.Find("id")->as_string()).second) return;
  b.objects.push_back(std::move(r));
}

void Reader::Relate(Builder& b, const Ids& sources, std::string_view wanted, const Ids& targets,
                    const Related* item, bool reverse) {
  for (const std::string& s : sources) {
    for (const std::string& t : targets) {
      if (reverse) {
        AddRelationship(b, t, RelType(t, wanted, s), s, item);
      } else {
        AddRelationship(b, s, RelType(s, wanted, t), t, item);
      }
    }
  }
}

core::Status Reader::RelateLinks(Builder& b, Scope& c, const Ids& ids, std::span<const Link> links,
                                 int depth) {
  for (const Link& link : links) {
    for (const Related& r : RelatedList(c.f, link.list, link.item, link.component, &c.leftovers)) {
      if (link.direction == Direction::kToIdrefItem && Attr(r.component, "idref").empty()) {
        AddField(&c.leftovers, std::string(link.list) + "/" + std::string(link.item),
                 LeftoverValue(r.component));
        continue;
      }
      Ids targets;
      if (link.component == "Observable") {
        auto pattern =
            ObservablePattern(b, r.component, &c.leftovers, std::string(link.list), &targets);
        if (!pattern.ok()) return pattern.error();
      } else {
        auto resolved = Resolve(b, r.component, depth);
        if (!resolved.ok()) return resolved.error();
        targets = std::move(*resolved);
      }
      Relate(b, ids, link.wanted, targets, &r, link.direction == Direction::kFromItem);
    }
  }
  return {};
}

Reader::Scope Reader::Open(Builder& b, pugi::xml_node node) {
  b.ts.push_back(Ts(b, node));
  return Scope(b.ts.back(), b.objects.size(), node);
}

Reader::Ids Reader::Finish(Builder& b, Scope& c, Ids ids, std::string_view source,
                           std::initializer_list<const Fields*> inner) {
  if (std::string creator = Creator(c.f, &c.leftovers, source); c.creator.empty()) {
    c.creator = std::move(creator);
  }
  for (std::string& m : Markings(c.f.Take("Handling"), &c.leftovers, "Handling")) {
    c.markings.push_back(std::move(m));
  }
  for (const Fields* fields : inner) fields->Leftovers(&c.leftovers);
  c.f.Leftovers(&c.leftovers);
  KeepSourceFields(&b.objects[c.start], kFormatName, std::move(c.leftovers));
  Own(b, c.start, c.markings, c.creator);
  b.ts.pop_back();
  return ids;
}

Reader::Mapped Reader::Resolve(Builder& b, pugi::xml_node component, int depth) {
  std::string_view idref = Attr(component, "idref");
  bool inline_content = !Elements(component).empty();
  if (!idref.empty() || !inline_content) return TargetsOf(component);
  return Component(b, component, depth + 1);
}

Reader::Mapped Reader::Component(Builder& b, pugi::xml_node node, int depth) {
  if (depth > kMaxRefDepth) {
    return core::MakeError(core::ErrorCode::kLimit,
                           "components nest deeper than " + std::to_string(kMaxRefDepth),
                           package_.PathOf(node));
  }
  std::string_view local = LocalName(node);
  if (local == "Indicator") return Indicator(b, node, depth);
  if (local == "TTP") return Ttp(b, node, depth);
  if (local == "Threat_Actor") return ThreatActor(b, node, depth);
  if (local == "Campaign") return Campaign(b, node, depth);
  if (local == "Incident") return Incident(b, node, depth);
  if (local == "Exploit_Target") return ExploitTarget(b, node, depth);
  if (local == "Course_Of_Action") return CourseOfAction(b, node, depth);
  if (local == "Report") return Report(b, node, depth);
  return core::MakeError(core::ErrorCode::kUnsupported,
                         "element " + std::string(local) + " is not a STIX 1 component",
                         package_.PathOf(node));
}

core::Error Reader::Fail(pugi::xml_node where, std::string message) const {
  return core::MakeError(core::ErrorCode::kUnsupported, std::move(message), package_.PathOf(where));
}

// ---- Observables -----------------------------------------------------------------------

core::Result<std::string> Reader::ObservablePattern(Builder& b, pugi::xml_node obs, Json* leftovers,
                                                    const std::string& path, Ids* sco_ids) {
  auto mapped = MapObservable(obs, package_, path, leftovers);
  if (!mapped.ok()) return mapped.error();
  for (Json& sco : mapped->scos) {
    if (b.added.insert(sco.Find("id")->as_string()).second) b.objects.push_back(std::move(sco));
  }
  for (std::string& n : mapped->notes) b.notes.push_back(std::move(n));
  if (sco_ids != nullptr) *sco_ids = mapped->main_ids;
  return mapped->pattern;
}

Reader::Mapped Reader::TopObservable(Builder& b, pugi::xml_node node) {
  std::string ts = Ts(b, node);
  b.ts.push_back(ts);
  Json leftovers = Json::MakeObject();
  auto mapped = MapObservable(node, package_, "", &leftovers);
  if (!mapped.ok()) return mapped.error();
  for (std::string& n : mapped->notes) b.notes.push_back(std::move(n));
  if (mapped->scos.empty()) {
    std::string why;
    for (const std::string& n : b.notes) why += "; " + n;
    return Fail(node,
                "Observable has no concrete value to record as observed data (its "
                "conditions describe a pattern)" +
                    why);
  }
  Json od = NewObject("observed-data", MapId("observed-data", KeyOf(node)), ts, ts);
  od.Set("first_observed", Str(ts));
  od.Set("last_observed", Str(ts));
  int64_t count = 1;
  if (pugi::xml_node sc = Child(node, "Sighting_Count")) {
    int64_t n = ParseCount(Text(sc));
    if (n >= 1) {
      count = n;
      leftovers.Erase("Sighting_Count");
    }
  }
  od.Set("number_observed", Json::Int(count));
  Json refs = Json::MakeArray();
  for (Json& sco : mapped->scos) {
    refs.as_array().push_back(*sco.Find("id"));
    b.objects.push_back(std::move(sco));
  }
  od.Set("object_refs", std::move(refs));
  KeepSourceFields(&od, kFormatName, std::move(leftovers));
  b.objects.insert(b.objects.begin(), std::move(od));
  b.ts.pop_back();
  return Ids{b.objects.front().Find("id")->as_string()};
}

// ---- Indicators ------------------------------------------------------------------------

core::Result<std::string> Reader::IndicatorPattern(Builder& b, pugi::xml_node node, Json* leftovers,
                                                   const std::string& path, int depth) {
  if (depth > kMaxRefDepth) return Fail(node, "composite indicators nest too deep");
  if (std::string_view idref = Attr(node, "idref"); !idref.empty() && Elements(node).empty()) {
    pugi::xml_node defined = package_.Find(idref);
    if (!defined) return Fail(node, "idref '" + std::string(idref) + "' names no Indicator");
    node = defined;
  }
  if (pugi::xml_node obs = Child(node, "Observable")) {
    return ObservablePattern(b, obs, leftovers, path + "Observable", nullptr);
  }
  if (pugi::xml_node expr = Child(node, "Composite_Indicator_Expression")) {
    std::string_view op = Attr(expr, "operator");
    if (op != "AND" && op != "OR") {
      return Fail(expr, "Composite_Indicator_Expression operator '" + std::string(op) +
                            "' is neither AND nor OR");
    }
    std::vector<pugi::xml_node> parts = Children(expr, "Indicator");
    if (parts.empty()) return Fail(expr, "empty Composite_Indicator_Expression");
    std::string out = parts.size() > 1 ? "(" : "";
    for (size_t i = 0; i < parts.size(); ++i) {
      auto p = IndicatorPattern(
          b, parts[i], leftovers,
          path + "Composite_Indicator_Expression/Indicator[" + std::to_string(i + 1) + "]/",
          depth + 1);
      if (!p.ok()) return p.error();
      out += (i == 0 ? "" : " " + std::string(op) + " ") + *p;
    }
    return parts.size() > 1 ? out + ")" : out;
  }
  return Fail(node, "Indicator has no Observable or Composite_Indicator_Expression");
}

// Snort and YARA Test_Mechanisms: their rules, one pattern per mechanism.
void Reader::TestMechanismPatterns(Scope& c, std::vector<Pattern>* patterns) {
  pugi::xml_node tms = c.f.Take("Test_Mechanisms");
  if (!tms) return;
  Fields t(tms, "Test_Mechanisms");
  for (pugi::xml_node tm : t.TakeAll("Test_Mechanism")) {
    std::string_view type = XsiType(tm);
    std::string kind = type == "SnortTestMechanismType"  ? "snort"
                       : type == "YaraTestMechanismType" ? "yara"
                                                         : "";
    Fields tmf(tm, t.PathOf("Test_Mechanism"));
    std::string rules;
    if (!kind.empty()) {
      for (pugi::xml_node rule : tmf.TakeAll("Rule")) {
        std::string text;  // verbatim: a rule's own line breaks and spacing stay
        for (pugi::xml_node part = rule.first_child(); part; part = part.next_sibling()) {
          if (part.type() == pugi::node_pcdata || part.type() == pugi::node_cdata) {
            text += part.value();
          }
        }
        if (Trim(text).empty()) continue;
        rules += (rules.empty() ? "" : "\n") + text;  // a rules file: one rule after another
      }
    }
    if (rules.empty()) {
      AddField(&c.leftovers, t.PathOf("Test_Mechanism"), LeftoverValue(tm));
      continue;
    }
    patterns->emplace_back(std::move(rules), kind);
    tmf.Leftovers(&c.leftovers);
  }
}

Reader::Mapped Reader::Indicator(Builder& b, pugi::xml_node node, int depth) {
  if (Attr(node, "negate") == "true" || Attr(node, "negate") == "1") {
    return Fail(node, "a negated Indicator (negate=\"true\") has no STIX 2.1 equivalent");
  }
  Scope c = Open(b, node);
  c.f.TakeAttr("negate");
  std::string key = KeyOf(node);
  Json ind = NewObject("indicator", MapId("indicator", key), c.ts, c.ts);
  std::string title = c.f.TakeText("Title");
  if (!title.empty()) ind.Set("name", Str(title));
  for (pugi::xml_node type : c.f.TakeAll("Type")) {
    if (!Text(type).empty()) AddToList(&ind, "indicator_types", Slug(Text(type)));
  }
  Common(c.f, &ind, true);
  ind.Set("valid_from", Str(c.ts));
  if (pugi::xml_node valid = c.f.Take("Valid_Time_Position")) {
    std::string from = StixTimestamp(Text(Child(valid, "Start_Time")));
    std::string until = StixTimestamp(Text(Child(valid, "End_Time")));
    if (!from.empty()) ind.Set("valid_from", Str(from));
    if (!until.empty() && until > ind.Find("valid_from")->as_string()) {
      ind.Set("valid_until", Str(until));
    } else if (!until.empty()) {
      AddField(&c.leftovers, "Valid_Time_Position/End_Time", Str(until));
    }
  }
  // Patterns: the observable (or composite expression) first, then test mechanisms.
  std::vector<Pattern> patterns;
  Ids sco_ids;
  if (pugi::xml_node obs = c.f.Take("Observable")) {
    auto p = ObservablePattern(b, obs, &c.leftovers, "Observable", &sco_ids);
    if (!p.ok()) return p.error();
    patterns.emplace_back(std::move(*p), "stix");
  } else if (c.f.Take("Composite_Indicator_Expression")) {
    auto p = IndicatorPattern(b, node, &c.leftovers, "", depth);
    if (!p.ok()) return p.error();
    patterns.emplace_back(std::move(*p), "stix");
  }
  TestMechanismPatterns(c, &patterns);
  if (patterns.empty()) {
    return Fail(node,
                "Indicator has no Observable, Composite_Indicator_Expression or Snort/YARA "
                "Test_Mechanism: a STIX 2.1 indicator needs a pattern");
  }
  Ids ids;
  std::vector<Json> indicators;
  for (size_t i = 0; i < patterns.size(); ++i) {
    Json copy = ind;
    if (i > 0) {
      copy.Set("id", Str(DeterministicId(
                         "indicator", key + "|" + patterns[i].second + "|" + std::to_string(i))));
    }
    copy.Set("pattern", Str(patterns[i].first));
    copy.Set("pattern_type", Str(patterns[i].second));
    ids.push_back(copy.Find("id")->as_string());
    indicators.push_back(std::move(copy));
  }
  b.objects.insert(b.objects.begin() + static_cast<std::ptrdiff_t>(c.start),
                   std::make_move_iterator(indicators.begin()),
                   std::make_move_iterator(indicators.end()));
  // The observed values the pattern is based on (§4.7 relationships).
  for (const std::string& sco : sco_ids) AddRelationship(b, ids[0], "based-on", sco, nullptr);
  static constexpr Link kLinks[] = {
      {"", "Indicated_TTP", "TTP", "indicates"},
      {"Related_Indicators", "Related_Indicator", "Indicator", ""},
      {"Related_Campaigns", "Related_Campaign", "Campaign", "indicates", Direction::kToIdrefItem},
      {"Suggested_COAs", "Suggested_COA", "Course_Of_Action", "mitigates investigates",
       Direction::kFromItem},
      {"Related_Observables", "Related_Observable", "Observable", ""},
  };
  TESSERA_RETURN_IF_ERROR(RelateLinks(b, c, ids, kLinks, depth));
  Sightings(b, c, key, ids[0]);
  return Finish(b, c, ids, "Producer");
}

// Sightings (§5.2): one sighting of the indicator per Sighting element.
void Reader::Sightings(Builder& b, Scope& c, const std::string& key,
                       const std::string& indicator_id) {
  pugi::xml_node sightings = c.f.Take("Sightings");
  if (!sightings) return;
  std::vector<pugi::xml_node> list = Children(sightings, "Sighting");
  int64_t total = ParseCount(Attr(sightings, "sightings_count"));
  if (!Attr(sightings, "sightings_count").empty() && (list.size() != 1 || total < 0)) {
    AddField(&c.leftovers, "Sightings/@sightings_count", Str(Attr(sightings, "sightings_count")));
  }
  for (size_t i = 0; i < list.size(); ++i) {
    Fields s(list[i], "");
    std::string when = StixTimestamp(Attr(list[i], "timestamp"));
    std::string created = when.empty() ? c.ts : when;
    Json sighting = NewObject(
        "sighting", DeterministicId("sighting", key + "|" + std::to_string(i)), created, created);
    sighting.Set("sighting_of_ref", Str(indicator_id));
    if (!when.empty()) {
      sighting.Set("first_seen", Str(when));
      sighting.Set("last_seen", Str(when));
    }
    if (list.size() == 1 && total >= 0) sighting.Set("count", Json::Int(total));
    std::string description = Description(s);
    if (!description.empty()) sighting.Set("description", Str(description));
    if (pugi::xml_node confidence = Child(list[i], "Confidence")) {
      int v = ConfidenceValue(Text(Child(confidence, "Value")));
      if (v >= 0) {
        sighting.Set("confidence", Json::Int(v));
        s.Use(confidence);
      }
    }
    Json kept = Json::MakeObject();
    std::string who = Creator(s, &kept, "Source");
    if (!who.empty()) {
      sighting.Set("where_sighted_refs", Json::MakeArray({Str(who)}));
      Share(b, who);
    }
    if (pugi::xml_node rel = s.Take("Related_Observables")) {
      for (pugi::xml_node item : Children(rel, "Related_Observable")) {
        std::string_view ref = Attr(Child(item, "Observable"), "idref");
        if (!ref.empty() && package_.IsTopLevelObservable(ref)) {
          AddToList(&sighting, "observed_data_refs", MapId("observed-data", ref));
        } else {
          AddField(&kept, "Related_Observables/Related_Observable", LeftoverValue(item));
        }
      }
    }
    s.Leftovers(&kept);
    KeepSourceFields(&sighting, kFormatName, std::move(kept));
    b.objects.push_back(std::move(sighting));
  }
}

// ---- TTPs --------------------------------------------------------------------------------

Reader::Mapped Reader::Ttp(Builder& b, pugi::xml_node node, int depth) {
  Scope c = Open(b, node);
  std::vector<TtpPart> parts = TtpParts(node);
  std::string title = c.f.TakeText("Title");
  Json common = Json::MakeObject();
  Common(c.f, &common, true);
  const Json* ttp_description = common.Find("description");
  Fields behavior(c.f.Take("Behavior"), "Behavior");
  Fields resources(c.f.Take("Resources"), "Resources");
  Fields attack_patterns(behavior.Take("Attack_Patterns"), "Behavior/Attack_Patterns");
  Fields malware(behavior.Take("Malware"), "Behavior/Malware");
  Fields tools(resources.Take("Tools"), "Resources/Tools");
  bool title_used = false;
  bool description_used = false;
  Ids ids;
  std::vector<Json> made;
  Ids actors;  // parts that act (not victims)
  for (size_t i = 0; i < parts.size(); ++i) {
    const TtpPart& part = parts[i];
    Json obj = NewObject(part.type, part.id, c.ts, c.ts);
    Json own = Json::MakeObject();  // leftovers of the part's own element
    std::string name;
    std::string named_by;  // an infrastructure's first observed value
    std::string description;
    if (part.type == "attack-pattern" && part.element != node) {
      attack_patterns.Use(part.element);
      Fields ap(part.element, "");
      name = ap.TakeText("Title");
      description = Description(ap);
      std::string_view capec = ap.TakeAttr("capec_id");
      if (!capec.empty()) {
        obj.Set("external_references",
                Json::MakeArray({Json::MakeObject(
                    {{"source_name", Str("capec")}, {"external_id", Str(capec)}})}));
        if (name.empty() && title.empty()) name = std::string(capec);
      }
      ap.Leftovers(&own);
    } else if (part.type == "malware") {
      malware.Use(part.element);
      Fields m(part.element, "");
      std::vector<pugi::xml_node> names = m.TakeAll("Name");
      for (pugi::xml_node n : names) {
        std::string t = Text(n);
        if (t.empty()) continue;
        if (name.empty()) {
          name = t;
        } else {
          AddToList(&obj, "aliases", t);
        }
      }
      std::string mtitle = m.TakeText("Title");
      if (name.empty()) name = mtitle;
      for (pugi::xml_node type : m.TakeAll("Type")) {
        if (!Text(type).empty()) AddToList(&obj, "malware_types", Slug(Text(type)));
      }
      description = Description(m);
      obj.Set("is_family", Json::Bool(false));  // a Malware_Instance
      m.Leftovers(&own);
    } else if (part.type == "tool") {
      tools.Use(part.element);
      Fields t(part.element, "");
      name = t.TakeText("Name");
      for (pugi::xml_node type : t.TakeAll("Type")) {
        if (!Text(type).empty()) AddToList(&obj, "tool_types", Slug(Text(type)));
      }
      description = Description(t);
      std::string version = t.TakeText("Version");
      if (!version.empty()) obj.Set("tool_version", Str(version));
      if (pugi::xml_node refs = t.Take("References")) {
        Json ext = Json::MakeArray();
        for (pugi::xml_node r : Children(refs, "Reference")) {
          if (Text(r).empty()) continue;
          ext.as_array().push_back(
              Json::MakeObject({{"source_name", Str("reference")}, {"url", Str(Text(r))}}));
        }
        if (!ext.as_array().empty()) obj.Set("external_references", std::move(ext));
      }
      t.Leftovers(&own);
    } else if (part.type == "infrastructure") {
      resources.Use(part.element);
      Fields inf(part.element, "");
      name = inf.TakeText("Title");
      std::string type_name;
      for (pugi::xml_node type : inf.TakeAll("Type")) {
        if (Text(type).empty()) continue;
        if (type_name.empty()) type_name = Text(type);
        AddToList(&obj, "infrastructure_types", Slug(Text(type)));
      }
      if (name.empty() && title.empty()) name = type_name;
      description = Description(inf);
      if (pugi::xml_node oc = inf.Take("Observable_Characterization")) {
        std::vector<pugi::xml_node> list = Children(oc, "Observable");
        for (size_t k = 0; k < list.size(); ++k) {
          Ids scos;
          auto p = ObservablePattern(
              b, list[k], &own,
              "Observable_Characterization/Observable[" + std::to_string(k + 1) + "]", &scos);
          if (!p.ok()) return p.error();
          for (const std::string& sco : scos) {
            AddRelationship(b, part.id, "consists-of", sco, nullptr);
            if (!named_by.empty()) continue;
            for (const Json& o : b.objects) {
              if (o.Find("id")->as_string() != sco) continue;
              if (const Json* v = o.Find("value"); v != nullptr && v->is_string()) {
                named_by = v->as_string();
              }
            }
          }
        }
      }
      inf.Leftovers(&own);
    } else if (part.type == "identity") {
      // Victim_Targeting: who the TTP targets.
      c.f.Use(part.element);
      Fields v(part.element, "");
      IdentityFacts facts;
      if (pugi::xml_node who = v.Take("Identity")) {
        Json kept = Json::MakeObject();
        facts = ParseIdentity(who, &kept);
        for (auto& [k, val] : kept.as_object()) AddField(&own, "Identity/" + k, val);
      }
      obj.Set("identity_class",
              Str(facts.identity_class.empty() ? "unknown" : facts.identity_class));
      for (const std::string& sector : facts.sectors) AddToList(&obj, "sectors", sector);
      for (size_t k = 0; k < facts.names.size(); ++k)
        AddField(&own, "Identity/names", Str(facts.names[k]));
      Locate(&b, nullptr, part.id, facts.locations, c.ts);
      v.Leftovers(&own);
      name = title;
      title_used = true;
    }
    if (name.empty()) {
      name = title;
      title_used = true;
    }
    if (name.empty() && part.type == "infrastructure" && !named_by.empty()) name = named_by;
    if (name.empty() && part.type != "malware") {
      // STIX 2.1 requires a name: a neutral one, said in the record's notes.
      static constexpr std::pair<std::string_view, std::string_view> kLabels[] = {
          {"attack-pattern", "Attack pattern"},
          {"tool", "Tool"},
          {"infrastructure", "Infrastructure"},
          {"identity", "Victims"}};
      for (const auto& [type, label] : kLabels) {
        if (type == part.type) name = label;
      }
      b.notes.push_back(package_.PathOf(part.element) + " has no name; named '" + name + "'");
    }
    if (!name.empty()) obj.Set("name", Str(name));
    if (description.empty() && ttp_description != nullptr) {
      description = ttp_description->as_string();
      description_used = true;
    }
    if (!description.empty()) obj.Set("description", Str(description));
    if (part.type != "identity") {
      for (const char* k : {"kill_chain_phases", "confidence"}) {
        if (const Json* v = common.Find(k)) obj.Set(k, *v);
      }
      actors.push_back(part.id);
    }
    KeepSourceFields(&obj, kFormatName, std::move(own));
    ids.push_back(part.id);
    made.push_back(std::move(obj));
  }
  // The TTP's own title and description, when no part took them.
  if (!title_used && !title.empty()) c.leftovers.Set("Title", Str(title));
  if (!description_used && ttp_description != nullptr) {
    c.leftovers.Set("Description", *ttp_description);
  }
  if (const Json* ext = common.Find("extensions")) {
    const Json* kept = ext->Find(kSourceFieldsExtensionId);
    if (kept != nullptr) KeepSourceFields(&made[0], kFormatName, *kept->Find("fields"));
  }
  b.objects.insert(b.objects.begin() + static_cast<std::ptrdiff_t>(c.start),
                   std::make_move_iterator(made.begin()), std::make_move_iterator(made.end()));
  // How the parts of one TTP relate: the first actor uses (or targets) the rest.
  Ids sources = actors.empty() ? Ids{ids[0]} : Ids{actors[0]};
  for (size_t i = 0; i < ids.size(); ++i) {
    if (ids[i] != sources[0]) Relate(b, sources, "uses targets", Ids{ids[i]}, nullptr);
  }
  Ids from = actors.empty() ? ids : actors;
  static constexpr Link kLinks[] = {
      {"Related_TTPs", "Related_TTP", "TTP", "uses targets"},
      {"Exploit_Targets", "Exploit_Target", "Exploit_Target", "targets exploits"},
  };
  TESSERA_RETURN_IF_ERROR(RelateLinks(b, c, from, kLinks, depth));
  return Finish(b, c, ids, "Information_Source",
                {&attack_patterns, &malware, &tools, &behavior, &resources});
}

// ---- Threat actors, campaigns, incidents ----------------------------------------------------

Reader::Mapped Reader::ThreatActor(Builder& b, pugi::xml_node node, int depth) {
  Scope c = Open(b, node);
  std::string id = MapId("threat-actor", KeyOf(node));
  Json ta = NewObject("threat-actor", id, c.ts, c.ts);
  std::string name = c.f.TakeText("Title");
  std::string identity;
  if (pugi::xml_node who = c.f.Take("Identity"))
    identity = IdentityOf(who, KeyOf(node) + "#identity");
  std::vector<std::string> aliases;
  if (!identity.empty()) {
    const Json& idobj = shared_objects_[identity].front();
    aliases.push_back(idobj.Find("name")->as_string());
    if (const Json* ext = idobj.Find("extensions")) {
      const Json* fields = ext->Find(kSourceFieldsExtensionId);
      const Json* others = fields != nullptr ? fields->Find("fields") : nullptr;
      others = others != nullptr ? others->Find("other_names") : nullptr;
      if (others != nullptr && others->is_array()) {
        for (const Json& n : others->as_array()) aliases.push_back(n.as_string());
      }
    }
  }
  if (name.empty() && !aliases.empty()) name = aliases.front();
  if (name.empty()) return Fail(node, "Threat_Actor has neither a Title nor an Identity name");
  ta.Set("name", Str(name));
  for (const std::string& a : aliases) {
    if (a != name) AddToList(&ta, "aliases", a);
  }
  Common(c.f, &ta, false);
  auto values = [&](std::string_view element) {
    std::vector<std::string> out;
    for (pugi::xml_node e : c.f.TakeAll(element)) {
      std::string v = Text(Child(e, "Value"));
      if (v.empty()) v = Text(e);
      if (pugi::xml_node d = Child(e, "Description")) {
        AddField(&c.leftovers, std::string(element) + "/Description", LeftoverValue(d));
      }
      if (!v.empty()) out.push_back(v);
    }
    return out;
  };
  for (const std::string& t : values("Type")) AddToList(&ta, "threat_actor_types", Slug(t));
  std::vector<std::string> motivations = values("Motivation");
  for (size_t i = 0; i < motivations.size(); ++i) {
    if (i == 0) {
      ta.Set("primary_motivation", Str(Slug(motivations[i])));
    } else {
      AddToList(&ta, "secondary_motivations", Slug(motivations[i]));
    }
  }
  std::vector<std::string> sophistication = values("Sophistication");
  if (!sophistication.empty()) ta.Set("sophistication", Str(Slug(sophistication[0])));
  for (size_t i = 1; i < sophistication.size(); ++i) {
    AddField(&c.leftovers, "Sophistication", Str(sophistication[i]));
  }
  for (const std::string& g : values("Intended_Effect")) AddToList(&ta, "goals", g);
  b.objects.push_back(std::move(ta));
  Ids ids = {id};
  if (!identity.empty()) {
    Share(b, identity);
    AddRelationship(b, id, "attributed-to", identity, nullptr);
  }
  static constexpr Link kLinks[] = {
      {"Observed_TTPs", "Observed_TTP", "TTP", "uses targets"},
      {"Associated_Campaigns", "Associated_Campaign", "Campaign", "attributed-to",
       Direction::kFromItem},
      {"Associated_Actors", "Associated_Actor", "Threat_Actor", ""},
  };
  TESSERA_RETURN_IF_ERROR(RelateLinks(b, c, ids, kLinks, depth));
  return Finish(b, c, ids);
}

Reader::Mapped Reader::Campaign(Builder& b, pugi::xml_node node, int depth) {
  Scope c = Open(b, node);
  std::string id = MapId("campaign", KeyOf(node));
  Json campaign = NewObject("campaign", id, c.ts, c.ts);
  std::string name = c.f.TakeText("Title");
  std::vector<std::string> names;
  if (pugi::xml_node list = c.f.Take("Names")) {
    for (pugi::xml_node n : Children(list, "Name")) {
      if (!Text(n).empty()) names.push_back(Text(n));
    }
  }
  if (name.empty() && !names.empty()) name = names.front();
  if (name.empty()) return Fail(node, "Campaign has neither a Title nor a Name");
  campaign.Set("name", Str(name));
  for (const std::string& n : names) {
    if (n != name) AddToList(&campaign, "aliases", n);
  }
  Common(c.f, &campaign, false);
  std::string objective;
  for (pugi::xml_node e : c.f.TakeAll("Intended_Effect")) {
    std::string v = Text(Child(e, "Value"));
    std::string d = Text(Child(e, "Description"));
    std::string item = v.empty() ? d : (d.empty() ? v : v + ": " + d);
    if (!item.empty()) objective += (objective.empty() ? "" : "; ") + item;
  }
  if (!objective.empty()) campaign.Set("objective", Str(objective));
  b.objects.push_back(std::move(campaign));
  Ids ids = {id};
  static constexpr Link kLinks[] = {
      {"Related_TTPs", "Related_TTP", "TTP", "uses targets"},
      {"Related_Incidents", "Related_Incident", "Incident", ""},
      {"Attribution", "Attributed_Threat_Actor", "Threat_Actor", "attributed-to"},
      {"Associated_Campaigns", "Associated_Campaign", "Campaign", ""},
      {"Related_Indicators", "Related_Indicator", "Indicator", "indicates", Direction::kFromItem},
  };
  TESSERA_RETURN_IF_ERROR(RelateLinks(b, c, ids, kLinks, depth));
  return Finish(b, c, ids);
}

Reader::Mapped Reader::Incident(Builder& b, pugi::xml_node node, int depth) {
  Scope c = Open(b, node);
  std::string id = MapId("incident", KeyOf(node));
  Json incident = NewObject("incident", id, c.ts, c.ts);
  std::string name = c.f.TakeText("Title");
  Json refs = Json::MakeArray();
  for (pugi::xml_node ext : c.f.TakeAll("External_ID")) {
    std::string source(Attr(ext, "source"));
    if (Text(ext).empty()) continue;
    refs.as_array().push_back(
        Json::MakeObject({{"source_name", Str(source.empty() ? "external" : source)},
                          {"external_id", Str(Text(ext))}}));
    if (name.empty()) name = "Incident " + Text(ext);
  }
  if (name.empty()) return Fail(node, "Incident has neither a Title nor an External_ID");
  incident.Set("name", Str(name));
  Common(c.f, &incident, false);
  if (!refs.as_array().empty()) incident.Set("external_references", std::move(refs));
  if (pugi::xml_node categories = c.f.Take("Categories")) {
    for (pugi::xml_node category : Children(categories, "Category")) {
      if (!Text(category).empty()) AddToList(&incident, "labels", Slug(Text(category)));
    }
  }
  b.objects.push_back(std::move(incident));
  Ids ids = {id};
  static constexpr Link kLinks[] = {
      {"Leveraged_TTPs", "Leveraged_TTP", "TTP", "uses"},
      {"Attributed_Threat_Actors", "Threat_Actor", "Threat_Actor", "attributed-to"},
      {"Related_Indicators", "Related_Indicator", "Indicator", ""},
      {"Related_Incidents", "Related_Incident", "Incident", ""},
      {"Related_Observables", "Related_Observable", "Observable", ""},
  };
  TESSERA_RETURN_IF_ERROR(RelateLinks(b, c, ids, kLinks, depth));
  return Finish(b, c, ids);
}

// ---- Exploit targets, courses of action, reports ---------------------------------------------

Reader::Mapped Reader::ExploitTarget(Builder& b, pugi::xml_node node, int depth) {
  Scope c = Open(b, node);
  std::vector<pugi::xml_node> vulns = c.f.TakeAll("Vulnerability");
  if (vulns.empty()) {
    return Fail(node,
                "Exploit_Target has no Vulnerability (Weakness and Configuration have no "
                "STIX 2.1 object)");
  }
  Ids ids = TargetsOf(node);
  std::string title = c.f.TakeText("Title");
  std::string description = Description(c.f);
  for (size_t i = 0; i < vulns.size(); ++i) {
    Fields v(vulns[i], "");
    Json own = Json::MakeObject();
    std::string vtitle = v.TakeText("Title");
    std::string cve = v.TakeText("CVE_ID");
    Json refs = Json::MakeArray();
    if (!cve.empty()) {
      auto norm = normalize::NormalizeAs(normalize::Kind::kCve, cve, package_.context().normalize);
      if (norm.ok()) {
        cve = norm->value;
      } else {
        b.notes.push_back("CVE_ID '" + cve + "' kept as written: " + norm.error().message);
      }
      refs.as_array().push_back(
          Json::MakeObject({{"source_name", Str("cve")}, {"external_id", Str(cve)}}));
    }
    if (std::string osvdb = v.TakeText("OSVDB_ID"); !osvdb.empty()) {
      refs.as_array().push_back(
          Json::MakeObject({{"source_name", Str("osvdb")}, {"external_id", Str(osvdb)}}));
    }
    if (pugi::xml_node list = v.Take("References")) {
      for (pugi::xml_node r : Children(list, "Reference")) {
        if (Text(r).empty()) continue;
        refs.as_array().push_back(
            Json::MakeObject({{"source_name", Str("reference")}, {"url", Str(Text(r))}}));
      }
    }
    std::string name = !cve.empty() ? cve : !vtitle.empty() ? vtitle : title;
    if (name.empty()) return Fail(vulns[i], "Vulnerability has no CVE_ID and no Title");
    Json vuln = NewObject("vulnerability", ids[i], c.ts, c.ts);
    vuln.Set("name", Str(name));
    std::string text;
    for (const std::string& part : {title, vtitle, Description(v), description}) {
      if (!part.empty() && part != name && text.find(part) == std::string::npos) {
        text += (text.empty() ? "" : "\n\n") + part;
      }
    }
    if (!text.empty()) vuln.Set("description", Str(text));
    if (!refs.as_array().empty()) vuln.Set("external_references", std::move(refs));
    v.Leftovers(&own);
    KeepSourceFields(&vuln, kFormatName, std::move(own));
    b.objects.push_back(std::move(vuln));
  }
  static constexpr Link kLinks[] = {
      {"Potential_COAs", "Potential_COA", "Course_Of_Action", "mitigates", Direction::kFromItem},
      {"Related_Exploit_Targets", "Related_Exploit_Target", "Exploit_Target", ""},
  };
  TESSERA_RETURN_IF_ERROR(RelateLinks(b, c, ids, kLinks, depth));
  return Finish(b, c, ids);
}

Reader::Mapped Reader::CourseOfAction(Builder& b, pugi::xml_node node, int depth) {
  Scope c = Open(b, node);
  std::string id = MapId("course-of-action", KeyOf(node));
  Json coa = NewObject("course-of-action", id, c.ts, c.ts);
  std::string name = c.f.TakeText("Title");
  if (name.empty()) return Fail(node, "Course_Of_Action has no Title");
  coa.Set("name", Str(name));
  Common(c.f, &coa, false);
  b.objects.push_back(std::move(coa));
  Ids ids = {id};
  static constexpr Link kLinks[] = {
      {"Related_COAs", "Related_COA", "Course_Of_Action", ""},
  };
  TESSERA_RETURN_IF_ERROR(RelateLinks(b, c, ids, kLinks, depth));
  return Finish(b, c, ids);
}

Reader::Mapped Reader::Report(Builder& b, pugi::xml_node node, int depth) {
  Scope c = Open(b, node);
  std::string id = MapId("report", KeyOf(node));
  Json report = NewObject("report", id, c.ts, c.ts);
  std::string name;
  if (pugi::xml_node header = c.f.Take("Header")) {
    Fields h(header, "Header");
    name = h.TakeText("Title");
    std::string description = Description(h);
    if (!description.empty()) report.Set("description", Str(description));
    for (pugi::xml_node intent : h.TakeAll("Intent")) {
      if (!Text(intent).empty()) AddToList(&report, "report_types", ReportType(Text(intent)));
    }
    c.markings = Markings(h.Take("Handling"), &c.leftovers, "Header/Handling");
    c.creator = Creator(h, &c.leftovers);
    h.Leftovers(&c.leftovers);
  }
  report.Set("name", Str(name.empty() ? "STIX 1 report " + KeyOf(node) : name));
  report.Set("published", Str(c.ts));
  Json refs = Json::MakeArray();
  std::unordered_set<std::string> referred;
  auto add_ref = [&](const std::string& ref) {
    if (referred.insert(ref).second) refs.as_array().push_back(Str(ref));
  };
  for (const auto& [section, item] : kSections) {
    if (section == "Reports") continue;  // a Report lists no reports
    for (pugi::xml_node list : c.f.TakeAll(section)) {
      for (pugi::xml_node entry : Children(list, item)) {
        if (item == "Observable" && !Attr(entry, "idref").empty()) {
          add_ref(MapId("observed-data", Attr(entry, "idref")));
          continue;
        }
        if (item == "Observable") {
          Ids scos;
          auto p = ObservablePattern(b, entry, &c.leftovers, "Observables/Observable", &scos);
          if (!p.ok()) return p.error();
          for (const std::string& s : scos) add_ref(s);
          continue;
        }
        auto targets = Resolve(b, entry, depth);
        if (!targets.ok()) return targets.error();
        for (const std::string& t : *targets) add_ref(t);
      }
    }
  }
  if (refs.as_array().empty()) {
    // A report without contents describes the package it is in.
    for (const std::string& r : all_ids_) add_ref(r);
  }
  if (refs.as_array().empty())
    return Fail(node, "Report refers to nothing and its package has no content");
  report.Set("object_refs", std::move(refs));
  b.objects.insert(b.objects.begin() + static_cast<std::ptrdiff_t>(c.start), std::move(report));
  Ids ids = {id};
  static constexpr Link kLinks[] = {
      {"Related_Reports", "Related_Report", "Report", ""},
  };
  TESSERA_RETURN_IF_ERROR(RelateLinks(b, c, ids, kLinks, depth));
  return Finish(b, c, ids);
}

// ---- Records ---------------------------------------------------------------------------------

SourcePosition Reader::PositionOf(pugi::xml_node node) const {
  SourcePosition p;
  p.file = file_;
  ptrdiff_t offset = node.offset_debug();
  if (offset > 0) {
    p.byte_offset = base_ + static_cast<uint64_t>(offset - 1);  // the '<' before the name
    p.line = lines_.LineOf(static_cast<size_t>(offset - 1));
  }
  p.record = index_;
  return p;
}

void Reader::Emit(Builder& b, pugi::xml_node component) {
  Record record;
  record.format = kFormatName;
  record.position = PositionOf(component);
  ++index_;
  Own(b, 0, package_markings_, package_creator_);
  std::vector<Json> out = std::move(b.objects);
  for (const std::string& id : b.shared) {
    if (emitted_.count(id) != 0) continue;
    emitted_.insert(id);
    auto it = shared_objects_.find(id);
    if (it == shared_objects_.end()) continue;
    for (const Json& o : it->second) out.push_back(o);
  }
  bool needs_extension = false;
  for (const Json& o : out) {
    const Json* ext = o.Find("extensions");
    needs_extension = needs_extension || (ext != nullptr && ext->Find(kSourceFieldsExtensionId));
  }
  std::string ext_id(kSourceFieldsExtensionId);
  if (needs_extension && emitted_.count(ext_id) == 0) {
    emitted_.insert(ext_id);
    out.push_back(SourceFieldsExtensionDefinition());
  }
  for (const Json& o : out) {
    std::string type = o.Find("type")->as_string();
    if (type != "marking-definition" && type != "extension-definition") {
      all_ids_.push_back(o.Find("id")->as_string());
    }
    record.Add(o);
  }
  record.notes = std::move(b.notes);
  sink_.Accept(std::move(record));
}

void Reader::Reject(pugi::xml_node component, const std::string& message) {
  Rejected rejected;
  rejected.format = kFormatName;
  rejected.position = PositionOf(component);
  ++index_;
  rejected.reason = message;
  rejected.SetRaw(OuterXml(component));
  sink_.Reject(std::move(rejected));
}

void Reader::RunPackage(pugi::xml_node root, int depth) {
  // A package's own context; an enclosing package's markings and creator
  // still apply to what it holds.
  Ids outer_markings = package_markings_;
  std::string outer_creator = package_creator_;
  std::string outer_ts = package_ts_;
  Ids outer_ids;
  outer_ids.swap(all_ids_);
  std::string own_ts = StixTimestamp(Attr(root, "timestamp"));
  package_ts_ = !own_ts.empty() ? own_ts : !outer_ts.empty() ? outer_ts : package_.context().now;
  RunPackageBody(root, depth);
  for (std::string& id : all_ids_) outer_ids.push_back(std::move(id));
  all_ids_.swap(outer_ids);
  package_markings_ = std::move(outer_markings);
  package_creator_ = std::move(outer_creator);
  package_ts_ = std::move(outer_ts);
}

void Reader::RunPackageBody(pugi::xml_node root, int depth) {
  pugi::xml_node header = Child(root, "STIX_Header");
  Json header_fields = Json::MakeObject();
  std::string title;
  std::string description;
  Ids intents;
  std::string published;
  if (header) {
    Fields h(header, "");
    for (std::string& m : Markings(h.Take("Handling"), &header_fields, "Handling")) {
      package_markings_.push_back(std::move(m));
    }
    if (pugi::xml_node source = h.Take("Information_Source")) {
      if (std::string who = SourceIdentity(source); !who.empty()) package_creator_ = who;
      Fields s(source, "Information_Source");
      if (!package_creator_.empty() && Child(source, "Identity")) s.Take("Identity");
      if (pugi::xml_node time = Child(source, "Time")) {
        published = StixTimestamp(Text(Child(time, "Produced_Time")));
      }
      s.Leftovers(&header_fields);
    }
    title = h.TakeText("Title");
    description = Description(h);
    for (pugi::xml_node intent : h.TakeAll("Package_Intent")) {
      if (!Text(intent).empty()) intents.push_back(ReportType(Text(intent)));
    }
    h.Leftovers(&header_fields);
  }
  auto component = [&](Builder& b, pugi::xml_node n) { return Component(b, n, 0); };
  auto one = [&](pugi::xml_node node, auto&& map) {
    Builder b;
    auto mapped = map(b, node);
    if (!mapped.ok()) {
      std::string where = mapped.error().location;
      Reject(node, (where.empty() ? package_.PathOf(node) : where) + ": " + mapped.error().message);
      return;
    }
    Emit(b, node);
  };
  std::vector<pugi::xml_node> deferred;
  for (pugi::xml_node section : Elements(root)) {
    std::string_view name = LocalName(section);
    if (name == "STIX_Header") continue;
    if (name == "Related_Packages" && depth < kMaxRefDepth) {
      // Packages inside the package (MISP exports one per event): each read as
      // a package of its own; a reference to one elsewhere is kept as a field.
      for (pugi::xml_node related : Elements(section)) {
        pugi::xml_node inner = Child(related, "Package");
        if (!inner) inner = Child(related, "STIX_Package");
        if (LocalName(related) == "Package" || LocalName(related) == "STIX_Package")
          inner = related;
        if (inner && !Elements(inner).empty()) {
          RunPackage(inner, depth + 1);
        } else {
          AddField(&header_fields, "Related_Packages/" + std::string(LocalName(related)),
                   LeftoverValue(related));
        }
      }
      continue;
    }
    std::string_view item;
    for (const auto& [s, i] : kSections) {
      if (s == name) item = i;
    }
    if (item.empty()) {
      AddField(&header_fields, std::string(name), LeftoverValue(section));
      continue;
    }
    for (pugi::xml_node node : Elements(section)) {
      std::string_view local = LocalName(node);
      if (local == "Kill_Chains") continue;  // definitions, resolved where used
      if (local != item) {
        AddField(&header_fields, std::string(name) + "/" + std::string(local), LeftoverValue(node));
        continue;
      }
      if (item == "Observable") {
        one(node, [&](Builder& b, pugi::xml_node n) { return TopObservable(b, n); });
        continue;
      }
      if (item == "Report") {
        // A report listing nothing is about the whole package: mapped last.
        bool has_content = false;
        for (const auto& [s, i] : kSections) has_content = has_content || Child(node, s);
        if (!has_content) {
          deferred.push_back(node);
          continue;
        }
      }
      one(node, component);
    }
  }
  for (pugi::xml_node node : deferred) one(node, component);
  // The header describes the package: a report of everything in it.
  bool header_content = !title.empty() || !description.empty() || !intents.empty() ||
                        !header_fields.as_object().empty();
  if (!header_content) return;
  if (all_ids_.empty()) {
    Reject(header ? header : root,
           package_.PathOf(header ? header : root) +
               ": the package header describes a package with no content that maps to STIX 2.1");
    return;
  }
  Builder b;
  std::string ts = package_ts_;
  std::string key = std::string(Attr(root, "id"));
  Json report = NewObject(
      "report", key.empty() ? DeterministicId("report", KeyOf(root)) : MapId("report", key), ts,
      ts);
  report.Set("name", Str(title.empty() ? "STIX package " + (key.empty() ? file_ : key) : title));
  if (!description.empty()) report.Set("description", Str(description));
  for (const std::string& t : intents) AddToList(&report, "report_types", t);
  report.Set("published", Str(published.empty() ? ts : published));
  Json refs = Json::MakeArray();
  std::set<std::string> seen;
  for (const std::string& id : all_ids_) {
    if (seen.insert(id).second) refs.as_array().push_back(Str(id));
  }
  report.Set("object_refs", std::move(refs));
  KeepSourceFields(&report, kFormatName, std::move(header_fields));
  b.objects.push_back(std::move(report));
  Emit(b, header ? header : root);
}

core::Status Read(Input& input, const ReadContext& context, Sink& sink) {
  TESSERA_RETURN_IF_ERROR(CheckOptions(context, kFormatName, {}));
  uint64_t base = input.offset();
  std::string text;
  pugi::xml_document doc;
  TESSERA_RETURN_IF_ERROR(xml::ReadDocument(input, pugi::parse_default, &text, &doc));
  pugi::xml_node root = doc.document_element();
  if (LocalName(root) != "STIX_Package") {
    return core::MakeError(
        core::ErrorCode::kUnsupported,
        "the document element is " + std::string(root.name()) + ", not a STIX 1 STIX_Package",
        input.name());
  }
  // Depth limit (the mapping recurses over the tree): the root is level 1.
  if (pugi::xml_node deep = xml::TooDeep(root, kMaxXmlDepth - 1)) {
    return core::MakeError(core::ErrorCode::kLimit,
                           "XML elements nest deeper than " + std::to_string(kMaxXmlDepth),
                           input.name() + "@byte " + std::to_string(deep.offset_debug()));
  }
  Package package(root, context);
  Reader reader(package, text, base, input.name(), sink);
  reader.Run();
  return {};
}

Detection Detect(std::string_view head) {
  // An XML document whose root element is STIX_Package: skip the prolog (BOM,
  // XML declaration, comments, DOCTYPE, white space), then read the root's name.
  size_t pos = head.rfind("\xEF\xBB\xBF", 0) == 0 ? 3 : 0;
  while (pos < head.size()) {
    if (std::isspace(static_cast<unsigned char>(head[pos]))) {
      ++pos;
    } else if (head.compare(pos, 4, "<!--") == 0) {
      size_t end = head.find("-->", pos + 4);
      if (end == std::string_view::npos) return {};
      pos = end + 3;
    } else if (head.compare(pos, 2, "<?") == 0 || head.compare(pos, 2, "<!") == 0) {
      size_t end = head.find('>', pos + 2);
      if (end == std::string_view::npos) return {};
      pos = end + 1;
    } else {
      break;
    }
  }
  if (pos >= head.size() || head[pos] != '<') return {};
  std::string_view tag = head.substr(pos + 1);
  tag = tag.substr(0, tag.find_first_of(" \t\r\n/>"));
  if (LocalName(tag) != "STIX_Package") return {};
  if (head.find(kStix1Namespace) == std::string_view::npos) {
    return {40, "XML root element STIX_Package without the STIX 1 namespace"};
  }
  return {100, "XML root element STIX_Package in the STIX 1 namespace (" +
                   std::string(kStix1Namespace) + ")"};
}

}  // namespace
}  // namespace stix1

std::vector<Format> Stix1Formats() {
  Format f;
  f.name = std::string(stix1::kFormatName);
  f.description =
      "STIX 1.1.1 / 1.2 XML packages (indicators with CybOX observables, TTPs, "
      "actors, campaigns, incidents, TLP markings)";
  f.detect = stix1::Detect;
  f.read = stix1::Read;
  return {std::move(f)};
}

}  // namespace tessera::formats

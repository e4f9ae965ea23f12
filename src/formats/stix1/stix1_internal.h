// Internals of the STIX 1.x reader shared by its files: XML helpers over pugixml
// (elements are matched by local name, so any namespace prefix works), a tracker
// of which parts of an element were mapped (the rest goes to the source-fields
// extension), the package-wide context (id index, kill chains, timestamps) and
// the CybOX observable mapping (cybox.cc). Used by one read at a time; not
// synchronized.
#pragma once

#include <cstddef>
#include <map>
#include <pugixml.hpp>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/json.h"
#include "core/result.h"
#include "formats/reader.h"
#include "formats/strings.h"
#include "formats/xml_nodes.h"

namespace tessera::formats::stix1 {

inline constexpr std::string_view kFormatName = "stix1";
// Deepest element nesting accepted (the mapping recurses over the tree).
inline constexpr int kMaxXmlDepth = 200;
// How deep idrefs are followed (an idref that leads back to itself stops here).
inline constexpr int kMaxRefDepth = 12;
// The most values one "##comma##" list may hold.
inline constexpr size_t kMaxListValues = 10000;

// ---- XML helpers -------------------------------------------------------------

// "stix:Indicator" -> "Indicator" (xml::LocalName for elements).
std::string_view LocalName(std::string_view qualified);
using xml::LocalName;
// The first element child with this local name (empty node if none).
using xml::Child;
std::vector<pugi::xml_node> Children(pugi::xml_node node, std::string_view local);
// Every element child.
std::vector<pugi::xml_node> Elements(pugi::xml_node node);
// The element's own text (text and CDATA children joined), trimmed.
std::string Text(pugi::xml_node node);
// An attribute by its exact name ("id", "idref", "condition"); "" if absent.
std::string_view Attr(pugi::xml_node node, std::string_view name);
// An attribute by local name, any prefix ("xal:NameCode" for "NameCode").
std::string_view AttrLocal(pugi::xml_node node, std::string_view local);
// The local part of the xsi:type attribute ("AddressObj:AddressObjectType" ->
// "AddressObjectType"); "" if absent.
std::string_view XsiType(pugi::xml_node node);
// The element as XML text (what the source wrote, re-serialized).
std::string OuterXml(pugi::xml_node node);
// A vocabulary value in STIX 2.1 form: lower case, runs of other characters
// than letters and digits become one '-' ("IP Watchlist" -> "ip-watchlist").
std::string Slug(std::string_view text);

// A STIX 1 timestamp (xs:dateTime, offset optional: none means UTC) in STIX 2.1
// form with at least `min_digits` fraction digits (3 for created/modified,
// §3.2); "" when it is not a timestamp.
std::string StixTimestamp(std::string_view text, int min_digits = 3);

// ---- What was mapped ------------------------------------------------------------

// Tracks the children and attributes of one element that the mapping used; the
// rest are the element's leftovers, kept in the source-fields extension as
// {"<path>/<child local name>": text, or the child's XML when it has structure}.
class Fields {
 public:
  // `path` names the element in leftover keys ("" for the component itself).
  Fields(pugi::xml_node node, std::string path);

  pugi::xml_node node() const { return node_; }
  const std::string& path() const { return path_; }
  // The path of a child, for a nested Fields.
  std::string PathOf(std::string_view child) const;

  pugi::xml_node Take(std::string_view local);
  std::vector<pugi::xml_node> TakeAll(std::string_view local);
  std::string TakeText(std::string_view local);
  std::string_view TakeAttr(std::string_view name);
  // Marks a child element as used (without reading it here).
  void Use(pugi::xml_node child);

  // Adds the leftovers to `out` (an object): children not taken, and
  // attributes not taken other than structural ones (id, idref, timestamp,
  // version, xsi:type, namespace declarations).
  void Leftovers(core::Json* out) const;

 private:
  pugi::xml_node node_;
  std::string path_;
  std::unordered_set<const void*> used_;  // internal_object() of the children taken
  std::vector<std::string> used_attrs_;
};

// Appends `value` under `key` in a JSON object, turning repeated keys into arrays.
void AddField(core::Json* fields, const std::string& key, core::Json value);
// The value a leftover element is kept as: its text when it is a leaf without
// attributes, else its XML.
core::Json LeftoverValue(pugi::xml_node node);

// ---- Package context -------------------------------------------------------------

struct KillChainPhase {
  std::string chain;  // kill_chain_name (STIX 2.1 form)
  std::string phase;  // phase_name
};

// Package-wide facts the component mappings need. Built once per package.
class Package {
 public:
  Package(pugi::xml_node root, const ReadContext& context);

  const ReadContext& context() const { return context_; }
  pugi::xml_node root() const { return root_; }
  // The element with this id attribute (empty if none).
  pugi::xml_node Find(std::string_view id) const;
  // A kill chain phase reference (Kill_Chain_Phase element) resolved through the
  // Kill_Chains definitions; false when it names no phase.
  bool ResolvePhase(pugi::xml_node phase, KillChainPhase* out) const;
  // Whether an Observable with this id is a top-level one (has an observed-data).
  bool IsTopLevelObservable(std::string_view id) const;
  // An XPath-like location: /STIX_Package/Indicators/Indicator[2], with the
  // positions among siblings cached, so that locating many elements of a wide
  // parent (100 000 indicators) stays linear.
  std::string PathOf(pugi::xml_node node) const;

 private:
  pugi::xml_node root_;
  const ReadContext& context_;
  std::unordered_map<std::string_view, pugi::xml_node> by_id_;
  std::map<std::string, KillChainPhase, std::less<>> phases_;    // by phase_id
  std::map<std::string, std::string, std::less<>> chain_names_;  // by kill_chain_id
  std::set<std::string, std::less<>> top_observables_;
  // Position among same-named siblings ("" when the only one), per element of
  // a parent already asked about.
  mutable std::unordered_map<const void*, size_t> positions_;
  mutable std::unordered_map<const void*, bool> parents_done_;
};

// STIX 2.1 id for a STIX 1 id: "<type>--<uuid>" when the id ends in an RFC 4122
// UUID, else DeterministicId(type, id).
std::string MapId(std::string_view type, std::string_view stix1_id);

// ---- CybOX (cybox.cc) --------------------------------------------------------------

// What one CybOX Observable maps to.
struct ObservableMapping {
  std::string pattern;                // STIX 2.1 pattern (observation expressions)
  std::vector<core::Json> scos;       // SCOs of the concrete values, with ids
  std::vector<std::string> main_ids;  // ids of the SCOs of the observed objects themselves
  std::vector<std::string> notes;     // what normalization changed or could not map
  bool exact = true;                  // every value is concrete (no Contains, ranges, ...)
};

// Maps an Observable element (inline, or an idref resolved through the package).
// Properties the mapping does not use go to `leftovers` under `path`. Errors
// name the element and why it cannot be mapped (unsupported object type, a
// condition with no STIX operator, a value of the wrong kind).
core::Result<ObservableMapping> MapObservable(pugi::xml_node observable, const Package& package,
                                              const std::string& path, core::Json* leftovers);

}  // namespace tessera::formats::stix1

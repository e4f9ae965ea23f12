// XML helpers, the leftovers tracker and the package context of the STIX 1.x
// reader (stix1_internal.h).

#include <algorithm>
#include <cctype>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "core/time.h"
#include "core/uuid.h"
#include "formats/stix1/stix1_internal.h"
#include "formats/stix_build.h"

namespace tessera::formats::stix1 {

using core::Json;

std::string_view LocalName(std::string_view qualified) {
  size_t colon = qualified.rfind(':');
  return colon == std::string_view::npos ? qualified : qualified.substr(colon + 1);
}

std::vector<pugi::xml_node> Children(pugi::xml_node node, std::string_view local) {
  std::vector<pugi::xml_node> out;
  for (pugi::xml_node c = node.first_child(); c; c = c.next_sibling()) {
    if (c.type() == pugi::node_element && LocalName(c) == local) out.push_back(c);
  }
  return out;
}

std::vector<pugi::xml_node> Elements(pugi::xml_node node) {
  std::vector<pugi::xml_node> out;
  for (pugi::xml_node c = node.first_child(); c; c = c.next_sibling()) {
    if (c.type() == pugi::node_element) out.push_back(c);
  }
  return out;
}

std::string Text(pugi::xml_node node) {
  std::string out;
  for (pugi::xml_node c = node.first_child(); c; c = c.next_sibling()) {
    if (c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata) out += c.value();
  }
  return std::string(Trim(out));
}

std::string_view Attr(pugi::xml_node node, std::string_view name) {
  for (pugi::xml_attribute a = node.first_attribute(); a; a = a.next_attribute()) {
    if (name == a.name()) return a.value();
  }
  return {};
}

std::string_view AttrLocal(pugi::xml_node node, std::string_view local) {
  for (pugi::xml_attribute a = node.first_attribute(); a; a = a.next_attribute()) {
    if (LocalName(a.name()) == local) return a.value();
  }
  return {};
}

std::string_view XsiType(pugi::xml_node node) {
  for (pugi::xml_attribute a = node.first_attribute(); a; a = a.next_attribute()) {
    std::string_view name = a.name();
    if (name == "xsi:type" || (name.size() > 5 && name.substr(name.size() - 5) == ":type" &&
                               name.rfind("xmlns", 0) != 0)) {
      return LocalName(std::string_view(a.value()));
    }
  }
  return {};
}

std::string OuterXml(pugi::xml_node node) {
  std::ostringstream out;
  node.print(out, "", pugi::format_raw);
  return std::move(out).str();
}

std::string Slug(std::string_view text) {
  std::string out;
  bool dash = false;
  for (char c : text) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      if (dash && !out.empty()) out += '-';
      dash = false;
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else {
      dash = true;
    }
  }
  return out;
}

std::string StixTimestamp(std::string_view text, int min_digits) {
  text = Trim(text);
  if (text.empty() || text.size() > 64) return {};
  auto ts = core::ParseRfc3339(text);
  if (!ts.ok()) {
    // xs:dateTime without an offset is taken as UTC; an xs:date as its midnight.
    std::string with_zone(text);
    with_zone += text.size() == 10 ? "T00:00:00Z" : "Z";
    ts = core::ParseRfc3339(with_zone);
    if (!ts.ok()) return {};
  }
  // STIX 2.1 §3.2: created and modified have at least millisecond precision.
  core::Timestamp t = *ts;
  if (t.frac_digits < min_digits) t.frac_digits = static_cast<int8_t>(min_digits);
  return core::FormatTimestamp(t);
}

// ---- Fields ------------------------------------------------------------------------

Fields::Fields(pugi::xml_node node, std::string path) : node_(node), path_(std::move(path)) {}

std::string Fields::PathOf(std::string_view child) const {
  return path_.empty() ? std::string(child) : path_ + "/" + std::string(child);
}

pugi::xml_node Fields::Take(std::string_view local) {
  pugi::xml_node c = Child(node_, local);
  if (c) Use(c);
  return c;
}

std::vector<pugi::xml_node> Fields::TakeAll(std::string_view local) {
  std::vector<pugi::xml_node> all = Children(node_, local);
  for (pugi::xml_node c : all) Use(c);
  return all;
}

std::string Fields::TakeText(std::string_view local) { return Text(Take(local)); }

std::string_view Fields::TakeAttr(std::string_view name) {
  std::string_view value = Attr(node_, name);
  used_attrs_.emplace_back(name);
  return value;
}

void Fields::Use(pugi::xml_node child) { used_.insert(child.internal_object()); }

Json LeftoverValue(pugi::xml_node node) {
  bool leaf = !node.first_attribute();
  for (pugi::xml_node c = node.first_child(); c && leaf; c = c.next_sibling()) {
    leaf = c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata ||
           c.type() == pugi::node_comment;
  }
  return Json::String(leaf ? Text(node) : OuterXml(node));
}

void AddField(Json* fields, const std::string& key, Json value) {
  Json* existing = fields->Find(key);
  if (existing == nullptr) {
    fields->Set(key, std::move(value));
    return;
  }
  if (!existing->is_array()) {
    Json first = std::move(*existing);
    *existing = Json::MakeArray();
    existing->as_array().push_back(std::move(first));
  }
  existing->as_array().push_back(std::move(value));
}

void Fields::Leftovers(Json* out) const {
  if (!node_) return;
  for (pugi::xml_attribute a = node_.first_attribute(); a; a = a.next_attribute()) {
    std::string_view name = a.name();
    std::string_view local = LocalName(name);
    bool structural = name == "id" || name == "idref" || name == "timestamp" || name == "version" ||
                      name.rfind("xmlns", 0) == 0 ||
                      (local == "type" && name.find(':') != std::string_view::npos) ||
                      local == "schemaLocation" || local == "cybox_major_version" ||
                      local == "cybox_minor_version" || local == "cybox_update_version";
    if (structural) continue;
    if (std::find(used_attrs_.begin(), used_attrs_.end(), name) != used_attrs_.end()) continue;
    std::string attribute = "@";
    attribute.append(name);
    AddField(out, PathOf(attribute), Json::String(a.value()));
  }
  for (pugi::xml_node c = node_.first_child(); c; c = c.next_sibling()) {
    if (c.type() != pugi::node_element) continue;
    if (used_.count(c.internal_object()) != 0) continue;
    AddField(out, PathOf(LocalName(c)), LeftoverValue(c));
  }
}

// ---- Package ------------------------------------------------------------------------

namespace {

// STIX 2.1 kill chain names for the well-known STIX 1 kill chain (§10.? of the
// STIX 1.2 default vocabularies: the Lockheed Martin Cyber Kill Chain).
constexpr std::string_view kLmKillChainId = "stix:TTP-af3e707f-2fb9-49e5-8c37-14026ca0a5ff";

std::string ChainName(pugi::xml_node chain) {
  std::string_view id = Attr(chain, "id");
  std::string_view name = Attr(chain, "name");
  if (id == kLmKillChainId || name == "LM Cyber Kill Chain") {
    return "lockheed-martin-cyber-kill-chain";
  }
  return Slug(name.empty() ? id : name);
}

}  // namespace

Package::Package(pugi::xml_node root, const ReadContext& context) : root_(root), context_(context) {
  // Every element with an id, in document order (the first wins), iteratively.
  std::vector<pugi::xml_node> stack = {root};
  while (!stack.empty()) {
    pugi::xml_node n = stack.back();
    stack.pop_back();
    std::string_view id = Attr(n, "id");
    if (!id.empty()) by_id_.emplace(id, n);
    std::vector<pugi::xml_node> kids = Elements(n);
    for (auto it = kids.rbegin(); it != kids.rend(); ++it) stack.push_back(*it);
    if (LocalName(n) == "Kill_Chain") {
      std::string chain = ChainName(n);
      std::string_view chain_id = Attr(n, "id");
      if (!chain_id.empty()) chain_names_.emplace(std::string(chain_id), chain);
      for (pugi::xml_node phase : Children(n, "Kill_Chain_Phase")) {
        std::string_view phase_id = Attr(phase, "phase_id");
        std::string_view name = Attr(phase, "name");
        if (phase_id.empty() || name.empty()) continue;
        phases_.emplace(std::string(phase_id), KillChainPhase{chain, Slug(name)});
      }
    }
  }
  for (pugi::xml_node section : Children(root, "Observables")) {
    for (pugi::xml_node obs : Children(section, "Observable")) {
      std::string_view id = Attr(obs, "id");
      if (!id.empty()) top_observables_.emplace(id);
    }
  }
}

pugi::xml_node Package::Find(std::string_view id) const {
  auto it = by_id_.find(id);
  return it == by_id_.end() ? pugi::xml_node() : it->second;
}

bool Package::ResolvePhase(pugi::xml_node phase, KillChainPhase* out) const {
  std::string_view phase_id = Attr(phase, "phase_id");
  std::string_view name = Attr(phase, "name");
  std::string_view chain_name = Attr(phase, "kill_chain_name");
  std::string_view chain_id = Attr(phase, "kill_chain_id");
  if (auto it = phases_.find(phase_id); !phase_id.empty() && it != phases_.end()) {
    *out = it->second;
  } else if (!name.empty()) {
    out->phase = Slug(name);
    out->chain.clear();
  } else {
    return false;
  }
  if (!chain_name.empty()) {
    out->chain =
        chain_name == "LM Cyber Kill Chain" ? "lockheed-martin-cyber-kill-chain" : Slug(chain_name);
  } else if (auto it = chain_names_.find(chain_id); !chain_id.empty() && it != chain_names_.end()) {
    out->chain = it->second;
  }
  return !out->chain.empty() && !out->phase.empty();
}

std::string Package::PathOf(pugi::xml_node node) const {
  std::vector<std::string> steps;
  for (pugi::xml_node n = node; n && n.type() == pugi::node_element; n = n.parent()) {
    std::string step(LocalName(n));
    pugi::xml_node parent = n.parent();
    if (parent && parent.type() == pugi::node_element) {
      if (parents_done_.emplace(parent.internal_object(), true).second) {
        // Number the parent's children once: position among same-named ones.
        std::unordered_map<std::string_view, size_t> counts;
        for (pugi::xml_node c = parent.first_child(); c; c = c.next_sibling()) {
          if (c.type() == pugi::node_element) ++counts[LocalName(c)];
        }
        std::unordered_map<std::string_view, size_t> seen;
        for (pugi::xml_node c = parent.first_child(); c; c = c.next_sibling()) {
          if (c.type() != pugi::node_element) continue;
          std::string_view name = LocalName(c);
          size_t index = ++seen[name];
          positions_[c.internal_object()] = counts[name] > 1 ? index : 0;
        }
      }
      size_t index = positions_[n.internal_object()];
      if (index > 0) step.append("[").append(std::to_string(index)).append("]");
    }
    steps.push_back(std::move(step));
  }
  std::string out;
  for (auto it = steps.rbegin(); it != steps.rend(); ++it) out.append("/").append(*it);
  return out;
}

bool Package::IsTopLevelObservable(std::string_view id) const {
  return top_observables_.find(id) != top_observables_.end();
}

std::string MapId(std::string_view type, std::string_view stix1_id) {
  if (stix1_id.size() >= 36) {
    std::string_view tail = stix1_id.substr(stix1_id.size() - 36);
    bool boundary = stix1_id.size() == 36 ||
                    !std::isxdigit(static_cast<unsigned char>(stix1_id[stix1_id.size() - 37]));
    auto uuid = core::ParseUuid(tail);
    if (boundary && uuid.ok() && uuid->is_rfc_variant()) {
      return std::string(type) + "--" + uuid->ToString();
    }
  }
  return DeterministicId(type, stix1_id);
}

}  // namespace tessera::formats::stix1

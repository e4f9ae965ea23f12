#include "formats/openioc/openioc.h"

#include <pugixml.hpp>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/json.h"
#include "core/result.h"
#include "core/time.h"
#include "core/uuid.h"
#include "formats/openioc/openioc_terms.h"
#include "formats/stix_build.h"
#include "formats/strings.h"
#include "formats/xml_head.h"
#include "formats/xml_nodes.h"
#include "normalize/classify.h"
#include "normalize/observable.h"
#include "normalize/stix_mapping.h"

namespace tessera::formats {
namespace {

using core::Json;
using normalize::QuotePatternLiteral;
using openioc::TermMapping;
using openioc::TermValue;

constexpr std::string_view kFormatName = "openioc";
constexpr std::string_view kNamespace10 = "http://schemas.mandiant.com/2010/ioc";
constexpr std::string_view kNamespace11 = "http://openioc.org/schemas/OpenIOC_1.1";
// Indicator elements nest at most this deep (real IOCs use fewer than 10 levels).
constexpr int kMaxIndicatorDepth = 64;

// ---- XML helpers ------------------------------------------------------------------

using xml::Child;
using xml::IsElement;
using xml::LocalName;
using xml::Text;

// ---- detection --------------------------------------------------------------------

Detection DetectOpenIoc(std::string_view head) {
  XmlRootTag root;
  if (!FindXmlRootTag(head, &root)) return {};
  std::string_view name = root.local;
  if (name != "ioc" && name != "OpenIOC") return {};
  if (root.tag.find(kNamespace10) != std::string_view::npos) {
    return {100, "root element <ioc> in the OpenIOC 1.0 namespace " + std::string(kNamespace10)};
  }
  if (root.tag.find(kNamespace11) != std::string_view::npos) {
    return {100, "root element <" + std::string(name) + "> in the OpenIOC 1.1 namespace " +
                     std::string(kNamespace11)};
  }
  if (head.find("IndicatorItem") != std::string_view::npos) {
    return {60, "root element <" + std::string(name) +
                    "> with IndicatorItem elements but no OpenIOC namespace"};
  }
  return {};
}

// ---- values -----------------------------------------------------------------------

// An OpenIOC date as a STIX timestamp (milliseconds at least); offset-less values are UTC. nullopt when
// absent, unreadable, or the "0001-01-01T00:00:00" placeholder tools write for "unset".
std::optional<std::string> OpenIocTime(std::string_view raw) {
  std::string_view s = Trim(raw);
  if (s.empty() || s.substr(0, 4) == "0001") return std::nullopt;
  auto ts = core::ParseRfc3339(s);
  if (!ts.ok()) ts = core::ParseRfc3339(std::string(s) + "Z");
  if (!ts.ok()) return std::nullopt;
  // STIX 2.1 §3.2: created and modified are precise to at least the millisecond.
  if (ts->frac_digits < 3) ts->frac_digits = 3;
  return core::FormatTimestamp(*ts);
}

bool IsInteger(std::string_view s) {
  if (s.empty() || s.size() > 18) return false;
  size_t i = s[0] == '-' ? 1 : 0;
  if (i == s.size()) return false;
  for (; i < s.size(); ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  return true;
}

core::Result<normalize::Observable> NormalizeTerm(TermValue value, std::string_view text,
                                                  const normalize::NormalizeOptions& options) {
  using normalize::Kind;
  switch (value) {
    case TermValue::kMd5: return normalize::NormalizeAs(Kind::kMd5, text, options);
    case TermValue::kSha1: return normalize::NormalizeAs(Kind::kSha1, text, options);
    case TermValue::kSha256: return normalize::NormalizeAs(Kind::kSha256, text, options);
    case TermValue::kDomain: return normalize::NormalizeAs(Kind::kDomain, text, options);
    case TermValue::kUrl: return normalize::NormalizeAs(Kind::kUrl, text, options);
    case TermValue::kEmail: return normalize::NormalizeAs(Kind::kEmail, text, options);
    case TermValue::kFileName: return normalize::NormalizeAs(Kind::kFileName, text, options);
    case TermValue::kIp: {
      auto v4 = normalize::NormalizeAs(Kind::kIpv4, text, options);
      if (v4.ok()) return v4;
      for (Kind k : {Kind::kIpv6, Kind::kIpv4Network, Kind::kIpv6Network}) {
        auto r = normalize::NormalizeAs(k, text, options);
        if (r.ok()) return r;
      }
      return v4;
    }
    case TermValue::kNone: break;
  }
  return core::MakeError(core::ErrorCode::kValidation, "not an observable");
}

// Kinds whose values are worth an SCO also under contains/starts-with/ends-with
// (a C2 domain under "contains" still names the domain).
bool NetworkOrHash(TermValue v) {
  return v == TermValue::kMd5 || v == TermValue::kSha1 || v == TermValue::kSha256 ||
         v == TermValue::kIp || v == TermValue::kDomain || v == TermValue::kUrl ||
         v == TermValue::kEmail;
}

// ---- the Indicator tree -------------------------------------------------------------

struct Node {
  bool is_item = false;
  std::string id;
  std::string op;                 // Indicator: "AND" or "OR"
  std::vector<Node> children;     // Indicator
  std::string comparison;         // IndicatorItem: the STIX comparison expression
  std::string group;              // IndicatorItem: document|object type
  std::vector<std::string> groups;  // every group in the subtree, first-appearance order
};

void CollectGroups(Node* node) {
  node->groups.clear();
  if (node->is_item) {
    node->groups.push_back(node->group);
    return;
  }
  for (Node& c : node->children) {
    CollectGroups(&c);
    for (const std::string& g : c.groups) {
      if (std::find(node->groups.begin(), node->groups.end(), g) == node->groups.end()) {
        node->groups.push_back(g);
      }
    }
  }
}

// Comparison expressions of one object joined with AND/OR (inside one [...]).
std::string BooleanForm(const Node& node, bool top) {
  if (node.is_item) return node.comparison;
  if (node.children.size() == 1) return BooleanForm(node.children[0], top);
  std::string out;
  for (const Node& c : node.children) {
    if (!out.empty()) out += " " + node.op + " ";
    out += BooleanForm(c, false);
  }
  return top ? out : "(" + out + ")";
}

// An observation expression for the subtree. Terms of one document and object
// type under the same Indicator share one [...] (OpenIOC evaluates them against
// the same item); different documents are separate observations joined by the
// Indicator's operator.
std::string ObservationForm(const Node& node) {
  if (node.groups.size() == 1) return "[" + BooleanForm(node, true) + "]";
  if (node.children.size() == 1) return ObservationForm(node.children[0]);
  struct Slot {
    std::string group;
    std::vector<const Node*> members;
    const Node* mixed = nullptr;
  };
  std::vector<Slot> slots;
  for (const Node& c : node.children) {
    if (c.groups.size() == 1) {
      auto it = std::find_if(slots.begin(), slots.end(), [&](const Slot& s) {
        return s.mixed == nullptr && s.group == c.groups[0];
      });
      if (it != slots.end()) {
        it->members.push_back(&c);
      } else {
        slots.push_back({c.groups[0], {&c}, nullptr});
      }
    } else {
      slots.push_back({"", {}, &c});
    }
  }
  std::string out;
  for (const Slot& s : slots) {
    if (!out.empty()) out += " " + node.op + " ";
    if (s.mixed != nullptr) {
      out += "(" + ObservationForm(*s.mixed) + ")";
    } else if (s.members.size() == 1) {
      out += ObservationForm(*s.members[0]);
    } else {
      std::string inner;
      for (const Node* m : s.members) {
        if (!inner.empty()) inner += " " + node.op + " ";
        inner += BooleanForm(*m, false);
      }
      out += "[" + inner + "]";
    }
  }
  return out;
}

// ---- one IOC ------------------------------------------------------------------------

class IocMapper {
 public:
  IocMapper(const ReadContext& context, std::string_view data) : context_(context), locator_(data) {}

  // Maps the document; false with reason() when the IOC must be rejected.
  bool Map(pugi::xml_node root, Record* record);
  const std::string& reason() const { return reason_; }

 private:
  bool Fail(const pugi::xml_node& at, std::string what) {
    reason_ = locator_.Location(at).append(": ").append(what);
    return false;
  }
  void Note(std::string note) { notes_.push_back(std::move(note)); }

  bool ParseIndicator(const pugi::xml_node& element, int depth, Node* out, Json* tree);
  bool ParseItem(const pugi::xml_node& element, Node* out, Json* tree);
  bool RenderComparison(const pugi::xml_node& element, const TermMapping& term,
                        const std::string& item_id, std::string_view condition_raw,
                        bool negate_attr, std::string_view content_type,
                        const std::string& content, std::string* comparison);
  void ReadParameters(const pugi::xml_node& root);
  Json ParametersFor(const std::string& ref_id);

  const ReadContext& context_;
  xml::NodeLocator locator_;
  std::string reason_;
  std::vector<std::string> notes_;
  // Observables of plain values, in first-appearance order, by SCO id.
  std::vector<normalize::Observable> observables_;
  std::set<std::string> observable_ids_;
  // 1.1 <parameters>: ref-id -> [{name, value, ...}], and which were attached.
  std::vector<std::pair<std::string, Json>> parameters_;
  std::set<std::string> attached_parameters_;
};

void IocMapper::ReadParameters(const pugi::xml_node& root) {
  pugi::xml_node params = Child(root, "parameters");
  for (pugi::xml_node p : params.children()) {
    if (!IsElement(p, "param")) continue;
    Json param = Json::MakeObject();
    for (pugi::xml_attribute a : p.attributes()) {
      if (std::string_view(a.name()) == "ref-id") continue;
      param.Set(a.name(), Json::String(a.value()));
    }
    pugi::xml_node value = Child(p, "value");
    if (value) {
      param.Set("value", Json::String(Text(value)));
      std::string_view type = value.attribute("type").value();
      if (!type.empty()) param.Set("value_type", Json::String(std::string(type)));
    }
    parameters_.emplace_back(p.attribute("ref-id").value(), std::move(param));
  }
}

Json IocMapper::ParametersFor(const std::string& ref_id) {
  Json out = Json::MakeArray();
  for (const auto& [ref, param] : parameters_) {
    if (ref != ref_id || ref.empty()) continue;
    out.as_array().push_back(param);
    attached_parameters_.insert(ref);
  }
  return out;
}

bool IocMapper::ParseIndicator(const pugi::xml_node& element, int depth, Node* out, Json* tree) {
  if (depth > kMaxIndicatorDepth) {
    return Fail(element, "Indicator elements nest deeper than " +
                             std::to_string(kMaxIndicatorDepth) + " levels");
  }
  out->is_item = false;
  out->id = element.attribute("id").value();
  std::string op(Trim(element.attribute("operator").value()));
  for (char& c : op) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (op.empty()) {
    op = "OR";
    Note("Indicator " + out->id + ": no operator attribute; OR (the OpenIOC default) assumed");
  }
  if (op != "AND" && op != "OR") {
    return Fail(element, "operator '" + std::string(element.attribute("operator").value()) +
                             "' is neither AND nor OR");
  }
  out->op = op;
  *tree = Json::MakeObject();
  if (!out->id.empty()) tree->Set("id", Json::String(out->id));
  tree->Set("operator", Json::String(element.attribute("operator").value()));
  Json params = ParametersFor(out->id);
  if (!params.as_array().empty()) tree->Set("parameters", std::move(params));
  Json children = Json::MakeArray();
  for (pugi::xml_node c : element.children()) {
    if (c.type() != pugi::node_element) continue;
    Node child;
    Json child_tree;
    if (IsElement(c, "Indicator")) {
      if (!ParseIndicator(c, depth + 1, &child, &child_tree)) return false;
      children.as_array().push_back(std::move(child_tree));
      if (child.children.empty()) continue;  // noted when it was parsed
    } else if (IsElement(c, "IndicatorItem")) {
      if (!ParseItem(c, &child, &child_tree)) return false;
      children.as_array().push_back(std::move(child_tree));
    } else {
      return Fail(c, "unexpected element <" + std::string(c.name()) +
                         "> in an Indicator (only Indicator and IndicatorItem may appear)");
    }
    out->children.push_back(std::move(child));
  }
  tree->Set("children", std::move(children));
  if (out->children.empty()) {
    Note("Indicator " + out->id + " at " + locator_.Path(element) +
         " has no items; left out of the pattern (kept in the criteria source field)");
  }
  return true;
}

bool IocMapper::ParseItem(const pugi::xml_node& element, Node* out, Json* tree) {
  out->is_item = true;
  out->id = element.attribute("id").value();
  pugi::xml_node context = Child(element, "Context");
  pugi::xml_node content = Child(element, "Content");
  if (!context) return Fail(element, "IndicatorItem has no Context element");
  if (!content) return Fail(element, "IndicatorItem has no Content element");
  std::string search(Trim(context.attribute("search").value()));
  if (search.empty()) return Fail(context, "Context has no search attribute");
  std::optional<TermMapping> term = openioc::MapSearchTerm(search);
  if (!term) {
    return Fail(context, "search term '" + search + "' is not of the form Document/Property");
  }
  std::string condition = element.attribute("condition").value();
  std::string negate = element.attribute("negate").value();
  std::string content_type = content.attribute("type").value();
  std::string value = Text(content);

  *tree = Json::MakeObject();
  if (!out->id.empty()) tree->Set("id", Json::String(out->id));
  tree->Set("condition", Json::String(condition));
  for (const char* attr : {"negate", "preserve-case"}) {
    pugi::xml_attribute a = element.attribute(attr);
    if (a) tree->Set(attr, Json::String(a.value()));
  }
  tree->Set("document", Json::String(context.attribute("document").value()));
  tree->Set("search", Json::String(search));
  tree->Set("context_type", Json::String(context.attribute("type").value()));
  tree->Set("content_type", Json::String(content_type));
  tree->Set("content", Json::String(value));
  if (pugi::xml_node comment = Child(element, "Comment")) {
    tree->Set("comment", Json::String(Text(comment)));
  }
  Json params = ParametersFor(out->id);
  if (!params.as_array().empty()) tree->Set("parameters", std::move(params));
  if (term->custom) tree->Set("stix_path", Json::String(term->object_path));

  bool negated = Lower(Trim(negate)) == "true";
  out->group = term->document + "|" + term->object_type;
  return RenderComparison(element, *term, out->id, condition, negated, content_type, value,
                          &out->comparison);
}

bool IocMapper::RenderComparison(const pugi::xml_node& element, const TermMapping& term,
                                 const std::string& item_id, std::string_view condition_raw,
                                 bool negate_attr, std::string_view content_type,
                                 const std::string& content, std::string* comparison) {
  std::string condition = Lower(Trim(condition_raw));
  bool negative = false;
  if (condition == "isnot" || condition == "is not") {
    condition = "is";
    negative = true;
  } else if (condition == "containsnot" || condition == "contains not") {
    condition = "contains";
    negative = true;
  }
  const bool negated = negate_attr != negative;
  const std::string label = "IndicatorItem " + item_id + " (" + term.document + ")";
  std::string type = Lower(Trim(content_type));

  std::string value = content;  // verbatim: leading/trailing spaces can matter ("contains ' -r '")
  std::string op;
  std::string literal;
  bool sco = false;
  std::optional<normalize::Observable> observable;
  if (term.value != TermValue::kNone) {
    auto normalized = NormalizeTerm(term.value, content, context_.normalize);
    if (normalized.ok()) {
      observable = std::move(*normalized);
    } else if (condition == "is") {
      Note(label + ": '" + std::string(Trim(content)) + "' is not a valid " + term.object_path +
           " value (" + normalized.error().message + "); kept as written, no observable");
    }
  }

  if (condition == "is") {
    op = "=";
    if (observable) {
      value = observable->value;
      if (observable->kind == normalize::Kind::kIpv4Network ||
          observable->kind == normalize::Kind::kIpv6Network) {
        op = "ISSUBSET";
      }
      sco = !negated;
    }
  } else if (condition == "contains" || condition == "starts-with" ||
             condition == "ends-with") {
    bool wildcard = value.find_first_of("%_") != std::string::npos;
    if (wildcard) {
      // LIKE has no escape: match the value verbatim with a regular expression.
      op = "MATCHES";
      std::string re = EscapeRegex(value);
      if (condition == "starts-with") re = "^" + re;
      if (condition == "ends-with") re += "$";
      value = re;
    } else {
      op = "LIKE";
      if (condition != "starts-with") value = "%" + value;
      if (condition != "ends-with") value += "%";
    }
    sco = observable && !negated && NetworkOrHash(term.value);
    type = "string";
  } else if (condition == "matches") {
    op = "MATCHES";
    type = "string";
  } else if (condition == "greater-than") {
    op = ">";
  } else if (condition == "less-than") {
    op = "<";
  } else {
    return Fail(element, "condition '" + std::string(condition_raw) +
                             "' is not an OpenIOC condition (is, contains, matches, "
                             "starts-with, ends-with, greater-than, less-than)");
  }

  if (type == "int" && IsInteger(Trim(value))) {
    literal = std::string(Trim(value));
  } else if (type == "date" || type == "datetime") {
    std::optional<std::string> ts = OpenIocTime(value);
    if (ts) {
      literal = "t'" + *ts + "'";
    } else {
      literal = QuotePatternLiteral(value);
      Note(label + ": date '" + value + "' is not an RFC 3339 timestamp; compared as a string");
    }
  } else if (type == "bool" && (Lower(Trim(value)) == "true" || Lower(Trim(value)) == "false")) {
    literal = Lower(Trim(value));
  } else {
    if (type == "int") Note(label + ": int content '" + value + "' is not an integer; compared "
                            "as a string");
    literal = QuotePatternLiteral(value);
  }

  *comparison = term.object_path + (negated ? " NOT " : " ") + op + " " + literal;
  if (sco && observable) {
    std::string id = normalize::StixId(*observable);
    if (observable_ids_.insert(id).second) observables_.push_back(std::move(*observable));
  }
  return true;
}

bool IocMapper::Map(pugi::xml_node root, Record* record) {
  const bool v11 = LocalName(root) == "OpenIOC" ||
                   std::string_view(root.attribute("xmlns").value()) == kNamespace11;
  pugi::xml_node meta = v11 ? Child(root, "metadata") : root;
  pugi::xml_node criteria = Child(root, v11 ? "criteria" : "definition");
  if (!criteria) criteria = Child(root, v11 ? "definition" : "criteria");
  if (!criteria) {
    return Fail(root, v11 ? "no <criteria> element (OpenIOC 1.1)" : "no <definition> element");
  }
  ReadParameters(root);

  Json fields = Json::MakeObject();
  fields.Set("schema", Json::String(v11 ? "OpenIOC 1.1" : "OpenIOC 1.0"));

  // The Indicator tree.
  std::vector<pugi::xml_node> tops;
  for (pugi::xml_node c : criteria.children()) {
    if (c.type() != pugi::node_element) continue;
    if (!IsElement(c, "Indicator")) {
      return Fail(c, "unexpected element <" + std::string(c.name()) + "> in <" +
                         std::string(criteria.name()) + "> (only Indicator may appear)");
    }
    tops.push_back(c);
  }
  if (tops.empty()) return Fail(criteria, "no Indicator element");
  Node top;
  Json tree;
  if (tops.size() == 1) {
    if (!ParseIndicator(tops[0], 1, &top, &tree)) return false;
  } else {
    Note("the criteria hold " + std::to_string(tops.size()) +
         " top-level Indicators; joined with OR (the OpenIOC default)");
    top.op = "OR";
    tree = Json::MakeArray();
    for (pugi::xml_node t : tops) {
      Node child;
      Json child_tree;
      if (!ParseIndicator(t, 1, &child, &child_tree)) return false;
      tree.as_array().push_back(std::move(child_tree));
      if (!child.children.empty()) top.children.push_back(std::move(child));
    }
  }
  if (top.children.empty()) return Fail(tops[0], "no IndicatorItem in the criteria");
  fields.Set("criteria", std::move(tree));
  CollectGroups(&top);
  std::string pattern = ObservationForm(top);

  // Metadata.
  auto meta_text = [&](std::string_view name) -> std::string {
    pugi::xml_node n = Child(meta, name);
    return n ? Text(n) : std::string();
  };
  std::string ioc_id(Trim(root.attribute("id").value()));
  std::string name(Trim(meta_text("short_description")));
  std::string description(Trim(meta_text("description")));
  std::string author(Trim(meta_text("authored_by")));
  std::string authored_raw = meta_text("authored_date");
  std::string modified_raw = root.attribute("last-modified").value();

  std::optional<std::string> created = OpenIocTime(authored_raw);
  std::optional<std::string> last_modified = OpenIocTime(modified_raw);
  if (!created && !Trim(authored_raw).empty()) fields.Set("authored_date", Json::String(authored_raw));
  std::string created_ts = created ? *created : last_modified ? *last_modified : context_.now;
  std::string modified_ts = created_ts;
  if (last_modified) {
    auto a = core::ParseStixTimestamp(created_ts);
    auto b = core::ParseStixTimestamp(*last_modified);
    if (a.ok() && b.ok() && *b >= *a) {
      modified_ts = *last_modified;
    } else {
      fields.Set("last-modified", Json::String(modified_raw));
      Note("last-modified " + modified_raw + " is before authored_date; modified = created");
    }
  } else if (!Trim(modified_raw).empty()) {
    fields.Set("last-modified", Json::String(modified_raw));
  }
  for (pugi::xml_attribute a : root.attributes()) {
    std::string_view an = a.name();
    if (an == "id" || an == "last-modified" || an == "xmlns" || an.substr(0, 6) == "xmlns:" ||
        an.substr(0, 4) == "xsi:") {
      continue;
    }
    fields.Set(std::string(an), Json::String(a.value()));
  }

  std::string indicator_id;
  auto uuid = core::ParseUuid(ioc_id);
  if (uuid.ok()) {
    indicator_id = "indicator--" + uuid->ToString();
  } else if (!ioc_id.empty()) {
    indicator_id = DeterministicId("indicator", "openioc|" + ioc_id);
    fields.Set("id", Json::String(ioc_id));
  } else {
    indicator_id = DeterministicId("indicator", "openioc|" + name + "|" + pattern);
  }

  Json indicator = NewObject("indicator", indicator_id, created_ts, modified_ts);
  indicator.Set("name", Json::String(name.empty() ? (ioc_id.empty() ? "OpenIOC" : ioc_id) : name));
  if (!description.empty()) indicator.Set("description", Json::String(description));
  indicator.Set("pattern", Json::String(pattern));
  indicator.Set("pattern_type", Json::String("stix"));
  indicator.Set("pattern_version", Json::String("2.1"));
  indicator.Set("valid_from", Json::String(created_ts));

  std::string identity_id;
  Json identity;
  if (!author.empty()) {
    identity_id = DeterministicId("identity", "openioc-author|" + author);
    identity = NewObject("identity", identity_id, context_.now, context_.now);
    identity.Set("name", Json::String(author));
    indicator.Set("created_by_ref", Json::String(identity_id));
  }

  // Keywords -> labels (split on white space and commas).
  std::string keywords = meta_text("keywords");
  if (!Trim(keywords).empty()) {
    std::string word;
    for (size_t i = 0; i <= keywords.size(); ++i) {
      char c = i < keywords.size() ? keywords[i] : ' ';
      if (std::isspace(static_cast<unsigned char>(c)) || c == ',') {
        if (!word.empty()) AddToList(&indicator, "labels", word);
        word.clear();
      } else {
        word += c;
      }
    }
    if (Trim(keywords) != keywords || keywords.find_first_of(", \t\n") != std::string::npos) {
      fields.Set("keywords", Json::String(keywords));
    }
  }

  // Links -> external references; the IOC itself first.
  Json refs = Json::MakeArray();
  if (!ioc_id.empty()) {
    Json r = Json::MakeObject();
    r.Set("source_name", Json::String("openioc"));
    r.Set("external_id", Json::String(ioc_id));
    refs.as_array().push_back(std::move(r));
  }
  Json kept_links = Json::MakeArray();
  for (pugi::xml_node link : Child(meta, "links").children()) {
    if (link.type() != pugi::node_element) continue;
    std::string rel(Trim(link.attribute("rel").value()));
    std::string href(Trim(link.attribute("href").value()));
    std::string text(Trim(Text(link)));
    if (text.empty() && href.empty()) {
      Json kept = Json::MakeObject();
      for (pugi::xml_attribute a : link.attributes()) kept.Set(a.name(), Json::String(a.value()));
      kept_links.as_array().push_back(std::move(kept));
      continue;
    }
    Json r = Json::MakeObject();
    r.Set("source_name", Json::String(rel.empty() ? "openioc-link" : rel));
    if (!text.empty()) r.Set("description", Json::String(text));
    if (!href.empty()) r.Set("url", Json::String(href));
    refs.as_array().push_back(std::move(r));
  }
  if (!refs.as_array().empty()) indicator.Set("external_references", std::move(refs));
  if (!kept_links.as_array().empty()) fields.Set("links", std::move(kept_links));

  // Metadata elements with no STIX home.
  static constexpr std::string_view kKnownMeta[] = {
      "short_description", "description", "keywords",   "authored_by", "authored_date",
      "links",             "definition",  "criteria",   "metadata",    "parameters"};
  for (pugi::xml_node c : meta.children()) {
    if (c.type() != pugi::node_element) continue;
    std::string_view local = LocalName(c);
    if (std::find(std::begin(kKnownMeta), std::end(kKnownMeta), local) != std::end(kKnownMeta)) {
      continue;
    }
    fields.Set(std::string(local), Json::String(Text(c)));
  }
  Json unattached = Json::MakeArray();
  for (const auto& [ref, param] : parameters_) {
    if (attached_parameters_.count(ref) > 0) continue;
    Json p = param;
    p.Set("ref-id", Json::String(ref));
    unattached.as_array().push_back(std::move(p));
  }
  if (!unattached.as_array().empty()) fields.Set("parameters", std::move(unattached));
  KeepSourceFields(&indicator, kFormatName, std::move(fields));

  if (!identity_id.empty()) record->Add(identity);
  record->Add(indicator);
  for (const normalize::Observable& o : observables_) {
    std::string sco_id = AddObservable(record, o, false, created_ts);
    Json rel = NewRelationship(indicator_id, "based-on", sco_id, created_ts);
    if (!identity_id.empty()) rel.Set("created_by_ref", Json::String(identity_id));
    record->Add(rel);
  }
  record->Add(SourceFieldsExtensionDefinition());
  for (std::string& n : notes_) record->notes.push_back(std::move(n));
  return true;
}

core::Status ReadOpenIoc(Input& input, const ReadContext& context, Sink& sink) {
  TESSERA_RETURN_IF_ERROR(CheckOptions(context, kFormatName, {}));
  std::string data;
  pugi::xml_document doc;
  TESSERA_RETURN_IF_ERROR(
      xml::ReadDocument(input, pugi::parse_default | pugi::parse_ws_pcdata_single, &data, &doc));
  pugi::xml_node root = doc.document_element();
  std::string_view local = LocalName(root);
  if (local != "ioc" && local != "OpenIOC") {
    return core::MakeError(core::ErrorCode::kUnsupported,
                           "not an OpenIOC document: the root element is <" +
                               std::string(root.name()) + ">, not <ioc> or <OpenIOC>",
                           input.name());
  }
  SourcePosition position;
  position.file = input.name();
  position.byte_offset = xml::ByteOffset(root);
  position.record = 0;

  IocMapper mapper(context, data);
  Record record;
  record.format = kFormatName;
  record.position = position;
  if (mapper.Map(root, &record)) {
    sink.Accept(std::move(record));
  } else {
    Rejected rejected;
    rejected.format = kFormatName;
    rejected.position = position;
    rejected.reason = mapper.reason();
    rejected.SetRaw(data);
    sink.Reject(std::move(rejected));
  }
  return {};
}

}  // namespace

std::vector<Format> OpenIocFormats() {
  Format f;
  f.name = std::string(kFormatName);
  f.description =
      "OpenIOC 1.0 / 1.1 XML: one indicator per IOC, its AND/OR logic as a STIX pattern";
  f.detect = DetectOpenIoc;
  f.read = ReadOpenIoc;
  return {std::move(f)};
}

}  // namespace tessera::formats

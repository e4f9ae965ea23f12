// Real OpenIOC documents from ../shared/corpora/openioc: a reviewed golden output for
// every one, and agreement with MITRE openioc-to-stix on every observable.
#include <gtest/gtest.h>

#include <pugixml.hpp>

#include <algorithm>
#include <optional>
#include <string_view>
#include <filesystem>
#include <string>
#include <vector>

#include "formats/openioc/stix_pattern_check.h"
#include "formats/stix_build.h"
#include "testing/corpus_files.h"
#include "testing/format_golden.h"

namespace tessera::formats {
namespace {

namespace fs = std::filesystem;
using testing::Render;

fs::path CorpusDir() { return testing::SharedDir() / "corpora" / "openioc"; }

std::vector<fs::path> CorpusFiles() {
  return testing::CorpusFiles(CorpusDir(), {".ioc", ".ioc.xml"});
}

// tests/golden/formats/openioc/<path relative to the corpus, '/' as "__">.json
std::string GoldenName(const fs::path& file) {
  std::string rel = fs::relative(file, CorpusDir()).generic_string();
  std::string out;
  for (char c : rel) out += c == '/' ? std::string("__") : std::string(1, c);
  return "openioc/" + out + ".json";
}

TEST(OpenIocCorpusTest, EveryFileMatchesItsGolden) {
  TESSERA_REQUIRE_SHARED();
  std::vector<fs::path> files = CorpusFiles();
  ASSERT_EQ(files.size(), 62u) << "the corpus has 62 OpenIOC documents (SOURCES.md section 2b)";
  for (const fs::path& file : files) {
    SCOPED_TRACE(file.string());
    auto outcome = testing::ReadPath("openioc", file);
    ASSERT_TRUE(outcome.status.ok()) << outcome.status.error().ToString();
    EXPECT_EQ(outcome.sink.records.size(), 1u);
    EXPECT_TRUE(outcome.sink.rejects.empty());
    EXPECT_EQ(testing::InvalidObjects(outcome), std::vector<std::string>());
    for (const core::Json& ind : testing::ObjectsOfType(outcome, "indicator")) {
      EXPECT_EQ(testing_pattern::CheckPattern(ind.Find("pattern")->as_string()), "");
    }
    testing::ExpectGolden(Render(outcome, file.filename().string()), GoldenName(file));
  }
}

// ---- agreement with MITRE openioc-to-stix -------------------------------------------

// One comparison expression of a STIX pattern: object path, operator (with NOT),
// and the literal's value (string literals unescaped).
struct Comparison {
  std::string path;
  std::string op;
  std::string value;
};

// Splits the patterns this reader writes into their comparisons. Fails the test on
// anything it cannot read, so it doubles as a syntax check.
std::vector<Comparison> Comparisons(std::string_view pattern) {
  std::vector<Comparison> out;
  size_t i = 0;
  auto skip_space = [&] {
    while (i < pattern.size() && pattern[i] == ' ') ++i;
  };
  auto word = [&] {
    size_t b = i;
    while (i < pattern.size() && pattern[i] != ' ') ++i;
    return std::string(pattern.substr(b, i - b));
  };
  auto quoted = [&] {  // at the opening quote
    std::string v;
    ++i;
    while (i < pattern.size() && pattern[i] != '\'') {
      if (pattern[i] == '\\' && i + 1 < pattern.size()) ++i;
      v += pattern[i++];
    }
    ++i;
    return v;
  };
  while (true) {
    skip_space();
    while (i < pattern.size() && std::string_view("[]()").find(pattern[i]) != std::string_view::npos) {
      ++i;
      skip_space();
    }
    if (i >= pattern.size()) break;
    if (pattern.substr(i, 4) == "AND " || pattern.substr(i, 3) == "OR ") {
      word();
      continue;
    }
    Comparison c;
    size_t b = i;
    while (i < pattern.size() && pattern[i] != ' ') {
      if (pattern[i] == '\'') {
        quoted();
      } else {
        ++i;
      }
    }
    c.path = std::string(pattern.substr(b, i - b));
    skip_space();
    c.op = word();
    if (c.op == "NOT") {
      skip_space();
      c.op = "NOT " + word();
    }
    skip_space();
    if (i < pattern.size() && pattern[i] == '\'') {
      c.value = quoted();
    } else if (pattern.substr(i, 2) == "t'") {
      ++i;
      c.value = quoted();
    } else {
      while (i < pattern.size() && std::string_view(" ])").find(pattern[i]) == std::string_view::npos) {
        c.value += pattern[i++];
      }
    }
    EXPECT_FALSE(c.path.empty() || c.op.empty() || c.value.empty())
        << "unreadable comparison at " << b << " in " << pattern;
    if (c.path.empty() || c.op.empty()) break;
    out.push_back(std::move(c));
  }
  return out;
}

// The value a LIKE / MATCHES comparison looks for as a substring, or nullopt.
std::optional<std::string> ContainedValue(const Comparison& c) {
  if (c.op == "LIKE" && c.value.size() >= 2 && c.value.front() == '%' && c.value.back() == '%') {
    return c.value.substr(1, c.value.size() - 2);
  }
  if (c.op == "MATCHES") {  // a regex-escaped literal
    std::string v;
    for (size_t k = 0; k < c.value.size(); ++k) {
      if (c.value[k] == '\\' && k + 1 < c.value.size()) ++k;
      v += c.value[k];
    }
    return v;
  }
  return std::nullopt;
}

// A CybOX property the reference conversion produced.
struct CyboxValue {
  std::string property;   // "FileObj:File_Name"
  std::string condition;  // "Equals", "Contains"
  std::string value;
};

// The STIX object paths this reader uses for each CybOX property openioc-to-stix
// writes. Deliberate differences (docs/formats/openioc.md, "Agreement with
// openioc-to-stix"): the registry hive is not split from the path (Hive+Key ->
// windows-registry-key:x_openioc_path), and ServiceItem/path is a property of the
// service extension, not the process path.
const std::vector<std::pair<std::string, std::vector<std::string>>>& CyboxPaths() {
  static const std::vector<std::pair<std::string, std::vector<std::string>>> kPaths = {
      {"MD5", {"file:hashes.'MD5'"}},
      {"FileObj:File_Name", {"file:name"}},
      {"FileObj:File_Path", {"file:parent_directory_ref.path"}},
      {"FileObj:Full_Path", {"file:x_openioc_full_path"}},
      {"ProcessObj:Name", {"process:image_ref.name"}},
      {"ProcessObj:Path",
       {"process:image_ref.parent_directory_ref.path",
        "process:extensions.'windows-service-ext'.x_openioc_path"}},
      {"ProcessObj:Command_Line", {"process:command_line"}},
      {"WinHandleObj:Name", {"process:x_openioc_handle_list_handle_name"}},
      {"WinHandleObj:Type", {"process:x_openioc_handle_list_handle_type"}},
      {"WinServiceObj:Service_Name", {"process:extensions.'windows-service-ext'.service_name"}},
      {"WinServiceObj:Service_DLL",
       {"process:extensions.'windows-service-ext'.x_openioc_service_dll"}},
      {"AddressObj:Address_Value", {"network-traffic:dst_ref.value"}},
      {"MemoryObj:Name", {"process:x_openioc_section_list_memory_section_name"}},
      {"WinKernelHookObj:Hooking_Module", {"x-openioc-hook-item:hooking_module"}},
      {"WinKernelHookObj:Hooked_Function", {"x-openioc-hook-item:hooked_function"}},
      {"WinDriverObj:Attached_To_Driver_Name",
       {"x-openioc-driver-item:device_item_attached_to_driver_name"}},
      {"cyboxCommon:Certificate_Subject",
       {"file:extensions.'windows-pebinary-ext'.x_openioc_digital_signature_certificate_subject"}},
      {"WinRegistryKeyObj:Data", {"windows-registry-key:values[*].data"}},
      {"WinRegistryKeyObj:Hive+Key", {"windows-registry-key:x_openioc_path"}},
  };
  return kPaths;
}

bool IsLeaf(const pugi::xml_node& n) {
  for (pugi::xml_node c : n.children()) {
    if (c.type() == pugi::node_element) return false;
  }
  return true;
}

void CollectLeaves(const pugi::xml_node& n, std::vector<pugi::xml_node>* out) {
  for (pugi::xml_node c : n.children()) {
    if (c.type() != pugi::node_element) continue;
    if (IsLeaf(c)) {
      out->push_back(c);
    } else {
      CollectLeaves(c, out);
    }
  }
}

// Every property value of every CybOX object in the reference output.
std::vector<CyboxValue> CyboxValues(const pugi::xml_document& doc) {
  std::vector<CyboxValue> out;
  for (pugi::xpath_node x : doc.select_nodes("//*[local-name()='Properties']")) {
    std::vector<pugi::xml_node> leaves;
    CollectLeaves(x.node(), &leaves);
    std::string hive;
    std::string key;
    std::string key_condition;
    for (const pugi::xml_node& leaf : leaves) {
      std::string name = leaf.name();
      if (name == "cyboxCommon:Type") continue;  // the hash type, read with its value
      if (name == "cyboxCommon:Simple_Hash_Value") {
        std::string type = leaf.parent().child("cyboxCommon:Type").child_value();
        out.push_back({type, "Equals", leaf.child_value()});
      } else if (name == "WinRegistryKeyObj:Hive") {
        hive = leaf.child_value();
      } else if (name == "WinRegistryKeyObj:Key") {
        key = leaf.child_value();
        key_condition = leaf.attribute("condition").value();
      } else {
        out.push_back({name, leaf.attribute("condition").value(), leaf.child_value()});
      }
    }
    if (!key.empty()) out.push_back({"WinRegistryKeyObj:Hive+Key", key_condition, hive + "\\" + key});
  }
  return out;
}

// Items the reference could not translate ("Error|Ignore. ... IOC term 'X'").
std::vector<std::string> UntranslatedTerms(const pugi::xml_document& doc) {
  std::vector<std::string> out;
  for (pugi::xpath_node x : doc.select_nodes("//*[local-name()='Description']")) {
    std::string text = x.node().child_value();
    size_t at = text.find("IOC term '");
    if (at == std::string::npos) continue;
    size_t b = at + 10;
    out.push_back(text.substr(b, text.find('\'', b) - b));
  }
  return out;
}

// Indicator ids and operators of the reference's compositions ("openioc:item-<id>").
std::vector<std::pair<std::string, std::string>> Compositions(const pugi::xml_document& doc) {
  std::vector<std::pair<std::string, std::string>> out;
  for (pugi::xpath_node x : doc.select_nodes("//*[local-name()='Observable_Composition']")) {
    std::string id = x.node().parent().attribute("id").value();
    if (id.rfind("openioc:item-", 0) != 0) continue;
    out.emplace_back(id.substr(13), x.node().attribute("operator").value());
  }
  return out;
}

void CriteriaNodes(const core::Json& node, std::vector<const core::Json*>* out) {
  if (node.is_array()) {
    for (const core::Json& c : node.as_array()) CriteriaNodes(c, out);
    return;
  }
  if (!node.is_object()) return;
  out->push_back(&node);
  if (const core::Json* children = node.Find("children")) CriteriaNodes(*children, out);
}

std::string Str(const core::Json* j) { return j != nullptr && j->is_string() ? j->as_string() : ""; }

TEST(OpenIocCorpusTest, AgreesWithOpenIocToStixOnEveryObservable) {
  TESSERA_REQUIRE_SHARED();
  fs::path dir = CorpusDir() / "v1.0" / "openioc-to-stix";
  int pairs = 0;
  for (const char* name : {"ccapp", "msbgt", "stuxnet", "zeus"}) {
    SCOPED_TRACE(name);
    ++pairs;
    auto outcome = testing::ReadPath("openioc", dir / (std::string(name) + ".ioc.xml"));
    ASSERT_TRUE(outcome.status.ok());
    ASSERT_EQ(outcome.sink.records.size(), 1u);
    std::vector<core::Json> indicators = testing::ObjectsOfType(outcome, "indicator");
    ASSERT_EQ(indicators.size(), 1u);
    const core::Json& indicator = indicators[0];
    std::vector<Comparison> mine = Comparisons(Str(indicator.Find("pattern")));
    const core::Json* fields =
        indicator.Find("extensions")->Find(kSourceFieldsExtensionId)->Find("fields");
    std::vector<const core::Json*> nodes;
    CriteriaNodes(*fields->Find("criteria"), &nodes);
    size_t items = 0;
    for (const core::Json* n : nodes) items += n->Find("operator") == nullptr ? 1 : 0;
    // Nothing dropped: one comparison per IndicatorItem.
    EXPECT_EQ(mine.size(), items);

    pugi::xml_document expected;
    ASSERT_TRUE(expected.load_file((dir / (std::string(name) + ".expected-stix1.xml")).c_str()));
    std::vector<CyboxValue> reference = CyboxValues(expected);
    std::vector<std::string> untranslated = UntranslatedTerms(expected);
    // Every IndicatorItem is accounted for by the reference: translated or not.
    EXPECT_EQ(reference.size() + untranslated.size(), items);

    std::vector<bool> used(mine.size(), false);
    for (const CyboxValue& ref : reference) {
      SCOPED_TRACE(ref.property + " " + ref.condition + " " + ref.value);
      const std::vector<std::string>* paths = nullptr;
      for (const auto& [property, stix] : CyboxPaths()) {
        if (property == ref.property) paths = &stix;
      }
      ASSERT_NE(paths, nullptr) << "a CybOX property the test has no mapping for";
      bool found = false;
      for (size_t k = 0; k < mine.size() && !found; ++k) {
        const Comparison& c = mine[k];
        if (used[k] || std::find(paths->begin(), paths->end(), c.path) == paths->end()) continue;
        if (ref.condition == "Equals") {
          found = c.op == "=" && c.value == ref.value;
        } else if (ref.condition == "Contains") {
          found = ContainedValue(c) == ref.value;
        }
        used[k] = found;
      }
      EXPECT_TRUE(found) << "no comparison in " << Str(indicator.Find("pattern"));
    }
    // What the reference could not translate, this reader maps (to a STIX or an
    // x_openioc_ path); every remaining comparison is one of those terms.
    for (const std::string& term : untranslated) {
      bool found = false;
      for (const core::Json* n : nodes) {
        if (Str(n->Find("search")) != term) continue;
        found = true;
      }
      EXPECT_TRUE(found) << term;
    }
    EXPECT_EQ(static_cast<size_t>(std::count(used.begin(), used.end(), false)), untranslated.size());

    // Plain values: an SCO for every hash and address the reference has as Equals.
    std::vector<core::Json> objects = testing::Objects(outcome);
    for (const CyboxValue& ref : reference) {
      if (ref.condition != "Equals" || (ref.property != "MD5" && ref.property != "AddressObj:Address_Value")) {
        continue;
      }
      bool found = false;
      for (const core::Json& o : objects) {
        const core::Json* hashes = o.Find("hashes");
        found = found || Str(o.Find("value")) == ref.value ||
                (hashes != nullptr && Str(hashes->Find("MD5")) == ref.value);
      }
      EXPECT_TRUE(found) << "no SCO for " << ref.value;
    }

    // The AND/OR structure: every composition is an Indicator of the same id and operator.
    for (const auto& [id, op] : Compositions(expected)) {
      bool found = false;
      for (const core::Json* n : nodes) {
        found = found || (Str(n->Find("id")) == id && Str(n->Find("operator")) == op);
      }
      EXPECT_TRUE(found) << "composition " << id << " " << op;
    }
  }
  EXPECT_EQ(pairs, 4);
}

}  // namespace
}  // namespace tessera::formats

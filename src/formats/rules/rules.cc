#include "formats/rules/rules.h"

#include <utility>

#include "formats/rules/readers.h"

namespace tessera::formats {
namespace {

using ReadFunction = core::Status (*)(Input&, const ReadContext&, Sink&);

// A rule format; the rule readers take no options (CheckOptions says so for a
// stray one). `name` has static storage.
Format RuleFormat(std::string_view name, std::string description,
                  Detection (*detect)(std::string_view), ReadFunction read) {
  Format f;
  f.name = std::string(name);
  f.description = std::move(description);
  f.detect = detect;
  f.read = [name, read](Input& input, const ReadContext& context, Sink& sink) -> core::Status {
    TESSERA_RETURN_IF_ERROR(CheckOptions(context, name, {}));
    return read(input, context, sink);
  };
  return f;
}

core::Status ReadSnortRules(Input& input, const ReadContext& context, Sink& sink) {
  return rules::ReadSnort(input, context, sink, /*suricata=*/false);
}

core::Status ReadSuricataRules(Input& input, const ReadContext& context, Sink& sink) {
  return rules::ReadSnort(input, context, sink, /*suricata=*/true);
}

}  // namespace

std::vector<Format> RuleFormats() {
  return {
      RuleFormat("yara", "YARA rule files: one indicator (pattern_type yara) per rule",
                 rules::DetectYara, rules::ReadYara),
      RuleFormat("snort",
                 "Snort 2/3 rule files (Suricata rules among them recognized): one indicator "
                 "per rule",
                 rules::DetectSnort, ReadSnortRules),
      RuleFormat("suricata", "Suricata rule files: one indicator (pattern_type suricata) per rule",
                 rules::DetectSuricata, ReadSuricataRules),
      RuleFormat("sigma", "Sigma rule files (one or more YAML documents): one indicator per rule",
                 rules::DetectSigma, rules::ReadSigma),
  };
}

}  // namespace tessera::formats

#include "formats/rules/rules.h"

#include "formats/rules/readers.h"

namespace tessera::formats {
namespace {

// The rule readers take no options; CheckOptions says so for a stray one.
core::Status NoOptions(const ReadContext& context, const char* name) {
  Format format;
  format.name = name;
  return CheckOptions(context, format);
}

}  // namespace

std::vector<Format> RuleFormats() {
  std::vector<Format> formats;
  {
    Format f;
    f.name = "yara";
    f.description = "YARA rule files: one indicator (pattern_type yara) per rule";
    f.detect = rules::DetectYara;
    f.read = [](Input& input, const ReadContext& context, Sink& sink) -> core::Status {
      TESSERA_RETURN_IF_ERROR(NoOptions(context, "yara"));
      return rules::ReadYara(input, context, sink);
    };
    formats.push_back(std::move(f));
  }
  {
    Format f;
    f.name = "snort";
    f.description =
        "Snort 2/3 rule files (Suricata rules among them recognized): one indicator per rule";
    f.detect = rules::DetectSnort;
    f.read = [](Input& input, const ReadContext& context, Sink& sink) -> core::Status {
      TESSERA_RETURN_IF_ERROR(NoOptions(context, "snort"));
      return rules::ReadSnort(input, context, sink, /*suricata=*/false);
    };
    formats.push_back(std::move(f));
  }
  {
    Format f;
    f.name = "suricata";
    f.description = "Suricata rule files: one indicator (pattern_type suricata) per rule";
    f.detect = rules::DetectSuricata;
    f.read = [](Input& input, const ReadContext& context, Sink& sink) -> core::Status {
      TESSERA_RETURN_IF_ERROR(NoOptions(context, "suricata"));
      return rules::ReadSnort(input, context, sink, /*suricata=*/true);
    };
    formats.push_back(std::move(f));
  }
  {
    Format f;
    f.name = "sigma";
    f.description = "Sigma rule files (one or more YAML documents): one indicator per rule";
    f.detect = rules::DetectSigma;
    f.read = [](Input& input, const ReadContext& context, Sink& sink) -> core::Status {
      TESSERA_RETURN_IF_ERROR(NoOptions(context, "sigma"));
      return rules::ReadSigma(input, context, sink);
    };
    formats.push_back(std::move(f));
  }
  return formats;
}

}  // namespace tessera::formats

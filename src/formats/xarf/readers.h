// The X-ARF readers behind XarfFormats(): JSON reports (versions 4 and 3) and
// e-mail/YAML reports (version 0.2), each mapped to a Report (report.h).
// Internal to src/formats/xarf/; stateless functions, thread-safe.
#pragma once

#include <string_view>

#include "core/json.h"
#include "core/result.h"
#include "formats/input.h"
#include "formats/reader.h"
#include "formats/xarf/report.h"

namespace tessera::formats::xarf {

// X-ARF 4 (xarf-spec): a JSON object with xarf_version 4.x.y. An error
// (kValidation) lists what breaks the core schema, naming the fields.
core::Result<Report> MapV4(const core::Json& document, const ReadContext& context);

// X-ARF 3: Version "3" is checked against the abusix/xarf schemas type by type;
// another 3.x (xarf-spec's legacy samples) only for what a report needs.
core::Result<Report> MapV3(const core::Json& document, const ReadContext& context);

// X-ARF 0.2: the YAML report (Reported-From, Category, Report-Type, Source,
// Source-Type, Date, ...) given as a Json mapping, with the e-mail's fields
// (headers, human-readable part, evidence) already in `mail_fields`.
core::Result<Report> MapV02(const core::Json& yaml, core::Json mail_fields, const ReadContext& context);

// Reads an input that is not JSON: an X-ARF e-mail or a bare YAML report.
core::Status ReadMail(std::string_view text, const Input& input, const ReadContext& context,
                      Sink& sink);

}  // namespace tessera::formats::xarf

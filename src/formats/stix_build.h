// Building the STIX 2.1 objects readers emit, the same way in every reader:
// deterministic ids for objects made from source content (re-reading the same
// input gives the same ids), indicators for observables, relationships, and the
// source-fields extension that keeps what STIX has no property for. Stateless;
// thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "core/json.h"
#include "formats/reader.h"
#include "normalize/observable.h"

namespace tessera::formats {

// "<type>--<UUIDv5(Tessera namespace, type + '|' + key)>": the id of an object a
// reader makes from source content that has no id of its own. `key` is what
// identifies the object in its source (docs/FORMATS.md says, per reader).
std::string DeterministicId(std::string_view type, std::string_view key);

// {"type", "spec_version": "2.1", "id", "created", "modified"}: the common
// properties of an SDO or SRO, to which the caller adds the rest.
core::Json NewObject(std::string_view type, std::string_view id, std::string_view created,
                     std::string_view modified);

// An indicator for `pattern` (pattern_type "stix", "yara", "snort", "sigma", ...)
// valid from `timestamp`, with id DeterministicId("indicator", pattern_type + '|'
// + pattern) and created = modified = valid_from = timestamp.
core::Json NewIndicator(std::string_view pattern, std::string_view pattern_type,
                        std::string_view timestamp);

// A relationship with id DeterministicId("relationship", source|type|target).
core::Json NewRelationship(std::string_view source_ref, std::string_view relationship_type,
                           std::string_view target_ref, std::string_view timestamp);

// Adds the SCO of an observable to the record (and its notes); with `indicator`,
// also an indicator with the observable's STIX pattern, named after its value,
// and a based-on relationship from the indicator to the SCO (STIX 2.1 §4.7).
// Returns the SCO's id; *indicator_id (when given) gets the indicator's id, or
// "" when none was made (CVE ids have no pattern).
std::string AddObservable(Record* record, const normalize::Observable& observable, bool indicator,
                          std::string_view timestamp, std::string* indicator_id = nullptr);

// Where source fields without a STIX property are kept: a property extension
// {"extension_type": "property-extension", "source_format": "<reader>",
//  "fields": {<source field name>: <value as in the source>}}.
inline constexpr std::string_view kSourceFieldsExtensionId =
    "extension-definition--3f1c9a7e-6b2d-4c8e-9f05-7a1b2c3d4e5f";

// Adds `fields` (a JSON object; nothing when it is empty) to the object's
// source-fields extension, merging with fields already there.
void KeepSourceFields(core::Json* object, std::string_view format, core::Json fields);

// The extension-definition object for kSourceFieldsExtensionId.
core::Json SourceFieldsExtensionDefinition();

// Marks an object with a marking-definition id (object_marking_refs, no duplicates).
void AddMarking(core::Json* object, std::string_view marking_id);

// Appends strings to a list property (labels, aliases, ...), creating it and
// skipping values already present.
void AddToList(core::Json* object, std::string_view property, std::string_view value);

}  // namespace tessera::formats

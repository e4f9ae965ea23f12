// Mapping MISP events to STIX 2.1 records: one record per event (report,
// creator identity, the attributes' SCOs/observed-data/indicators, MISP objects
// as grouped observations, galaxy clusters as SDOs, sightings, TLP markings),
// with a Rejected per attribute that cannot be mapped. simdjson parses one event
// at a time (DOM), so memory is bounded by the largest event. Create one mapper
// per read; not synchronized.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "core/result.h"
#include "formats/reader.h"

namespace tessera::formats::misp {

// The readable bytes MapEvent and MapDocument need after their input.
inline constexpr size_t kEventPadding = 64;

class EventMapper {
 public:
  // `format`: the reader's name (static storage), put in records and rejects.
  EventMapper(std::string_view format, const ReadContext& context);
  ~EventMapper();
  EventMapper(const EventMapper&) = delete;
  EventMapper& operator=(const EventMapper&) = delete;

  // Maps one event, {"Event": {...}} or the bare event object. `bytes` must be
  // followed by at least kEventPadding readable bytes (simdjson's padding). The record goes
  // to `sink`, then a Rejected for each attribute that could not be mapped; an
  // element that is not a MISP event at all is rejected whole.
  void MapEvent(std::string_view bytes, const SourcePosition& position, Sink& sink);

  // Maps a whole document held in memory (with the same padding): one event
  // (wrapped or bare), {"response": [events]} or an array of events. An error
  // when it is not JSON or holds no MISP event shape.
  core::Status MapDocument(std::string_view bytes, const std::string& file, Sink& sink);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tessera::formats::misp

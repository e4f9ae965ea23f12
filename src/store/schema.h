// The store's schema as numbered migrations, written once with a few dialect
// tokens so SQLite and PostgreSQL get the same tables. A migration is applied
// in one write transaction and recorded in schema_migrations. Stateless.
#pragma once

#include <string>
#include <vector>

#include "store/sql/connection.h"

namespace tessera::store {

struct Migration {
  int version = 0;
  std::string description;
  std::string sql;  // one or more statements for the dialect
};

// Every migration, in order, for a dialect.
std::vector<Migration> Migrations(sql::Dialect dialect);

}  // namespace tessera::store

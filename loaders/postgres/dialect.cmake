# PostgreSQL (SOCI; batch writes and statements through libpq): its sources, libraries and
# migrations' folder, for loaders/CMakeLists.txt.
list(APPEND ETL_DIALECT_SOURCES
  postgres/postgres_dialect.cpp postgres/postgres_sql.cpp postgres/postgres_lock.cpp
  postgres/pg_bulk_statement.cpp postgres/postgres_store.cpp)
list(APPEND ETL_DIALECT_LIBS soci_postgresql)
list(APPEND ETL_SCHEMA_FOLDERS postgres)
# SOCI's classes are built without exported RTTI, so UBSan's vptr check (typeinfo lookups)
# cannot link against them: switch off just that check where SOCI is compiled in.
set(ETL_DIALECT_NO_VPTR ON)

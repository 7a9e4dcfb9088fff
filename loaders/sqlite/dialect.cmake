# SQLite (SQLiteCpp): its sources, libraries and migrations' folder, for loaders/CMakeLists.txt.
list(APPEND ETL_DIALECT_SOURCES
  sqlite/sqlite_dialect.cpp sqlite/sqlite_sql.cpp sqlite/sqlite_rows.cpp sqlite/sqlite_store.cpp)
list(APPEND ETL_DIALECT_LIBS SQLiteCpp SQLite::SQLite3)
list(APPEND ETL_SCHEMA_FOLDERS sqlite)
